import { ROLE_ENV_KEYS } from "@nativelink-aws/conventions";
import { blocks, type CheckRule } from "../rule.js";
import { roleEnvValue, userDataText } from "../user-data-text.js";
import { hookTransitions, launchTemplateOf } from "./drain-hook.js";

const LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING";

export const warmPoolLaunchHook: CheckRule = {
  id: "NL-ASG-2",
  severity: "error",
  title: "A NativeLink group with a warm pool holds its instances in the launch hook their bootstrap completes",
  explanation:
    "An instance launched into a warm pool is stopped as soon as its launch lifecycle actions are done. Without the launch hook " +
    "NATIVELINK_LAUNCH_HOOK the group stops it in the middle of its first boot, and without that role.env line the bootstrap starts " +
    "NativeLink, which registers a worker with the scheduler just before the instance stops. Auto Scaling refuses a warm pool on a " +
    "group with a mixed instances policy.",
  fix:
    'give the worker fleet its warm pool through NativeLinkCluster (workers.<arch>.warmPool with purchaseOption "on-demand" and one ' +
    `instance type), which writes NATIVELINK_LAUNCH_HOOK=<name>-launch into user data and an initial_lifecycle_hook of that name on ${LAUNCHING}`,
  resourceTypes: ["aws_autoscaling_group"],
  check(group, stack) {
    if (blocks(group.config.warm_pool).length === 0) return [];
    const template = launchTemplateOf(group, stack);
    const userData = template && userDataText(template.config.user_data);
    if (userData === undefined || roleEnvValue(userData, "NATIVELINK_ROLE") === undefined) return [];
    const problems: string[] = [];
    if (blocks(group.config.mixed_instances_policy).length > 0) problems.push("it has a warm pool and a mixed instances policy, which Auto Scaling refuses");
    const hook = roleEnvValue(userData, ROLE_ENV_KEYS.launchHook);
    if (hook === undefined) {
      problems.push("it has a warm pool, but its launch template's user data names no NATIVELINK_LAUNCH_HOOK, so NativeLink would start in the pool");
    } else if (!hookTransitions(group, hook, stack).includes(LAUNCHING)) {
      problems.push(`it has a warm pool, but no lifecycle hook ${hook} (its NATIVELINK_LAUNCH_HOOK) on ${LAUNCHING}`);
    }
    return problems;
  },
};
