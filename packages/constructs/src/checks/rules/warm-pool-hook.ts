import { ROLE_ENV_KEYS } from "@nativelink-aws/conventions";
import { blocks, type CheckRule, isTrue } from "../rule.js";
import { roleEnvValue, userDataText } from "../user-data-text.js";
import { hookTransitions, launchTemplateOf } from "./drain-hook.js";

const LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING";

export const warmPoolLaunchHook: CheckRule = {
  id: "NL-ASG-2",
  severity: "error",
  title: "A NativeLink group with a warm pool holds its instances in the launch hook their bootstrap completes, and drains those it reuses",
  explanation:
    "An instance launched into a warm pool is stopped as soon as its launch lifecycle actions are done. Without the launch hook " +
    "NATIVELINK_LAUNCH_HOOK the group stops it in the middle of its first boot, and without that role.env line the bootstrap starts " +
    "NativeLink, which registers a worker with the scheduler just before the instance stops. Auto Scaling refuses a warm pool on a " +
    "group with a mixed instances policy. A pool that reuses instances on scale-in (instance_reuse_policy reuse_on_scale_in) " +
    "returns workers through the termination hook NATIVELINK_LIFECYCLE_HOOK, whose drain watcher lets their actions finish; " +
    "without that role.env line a returning worker is stopped in the middle of its actions (NL-ASG-1 checks the hook itself).",
  fix:
    'give the worker fleet its warm pool through NativeLinkCluster (workers.<arch>.warmPool with purchaseOption "on-demand" and one ' +
    `instance type), which writes NATIVELINK_LAUNCH_HOOK=<name>-launch into user data and an initial_lifecycle_hook of that name on ${LAUNCHING}, ` +
    "and NATIVELINK_LIFECYCLE_HOOK=<name>-drain for the drain hook WorkerAutoscaler creates; or set reuse_on_scale_in to false",
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
    const reuses = isTrue(blocks(blocks(group.config.warm_pool)[0]?.instance_reuse_policy)[0]?.reuse_on_scale_in);
    if (reuses && roleEnvValue(userData, "NATIVELINK_ROLE") === "worker" && roleEnvValue(userData, ROLE_ENV_KEYS.lifecycleHook) === undefined) {
      problems.push(
        "its warm pool reuses instances on scale-in, but its launch template's user data names no NATIVELINK_LIFECYCLE_HOOK, " +
          "so a worker returning to the pool is stopped in the middle of its actions",
      );
    }
    return problems;
  },
};
