import { ROLE_ENV_KEYS } from "@nativelink-aws/conventions";
import { blocks, type CheckRule, type StackItem, type StackView } from "../rule.js";
import { roleEnvValue, userDataText } from "../user-data-text.js";

const TERMINATING = "autoscaling:EC2_INSTANCE_TERMINATING";

/** The launch template a group launches from, directly or through its mixed instances policy. */
export function launchTemplateOf(group: StackItem, stack: StackView): StackItem | undefined {
  const direct = blocks(group.config.launch_template)[0];
  const mixed = blocks(blocks(blocks(group.config.mixed_instances_policy)[0]?.launch_template)[0]?.launch_template_specification)[0];
  const id = direct?.id ?? direct?.name ?? mixed?.launch_template_id ?? mixed?.launch_template_name;
  return stack.referenced(id) ?? stack.ofType("aws_launch_template").find((template) => id !== undefined && template.config.name === id);
}

/** The transitions of the hooks named `name` on `group`: separate resources and the group's initial hooks. */
export function hookTransitions(group: StackItem, name: string, stack: StackView): unknown[] {
  const separate = stack
    .ofType("aws_autoscaling_lifecycle_hook")
    .filter(
      (hook) =>
        hook.config.name === name &&
        (stack.referenced(hook.config.autoscaling_group_name) === group || hook.config.autoscaling_group_name === group.config.name),
    );
  const initial = blocks(group.config.initial_lifecycle_hook).filter((hook) => hook.name === name);
  return [...separate.map((hook) => hook.config.lifecycle_transition), ...initial.map((hook) => hook.lifecycle_transition)];
}

export const drainHookExists: CheckRule = {
  id: "NL-ASG-1",
  severity: "error",
  title: "The drain hook the workers complete exists on their group",
  explanation:
    "A worker's drain watcher holds its instance in the termination lifecycle hook NATIVELINK_LIFECYCLE_HOOK until its running actions " +
    "finish; without that hook a scale-in, instance refresh or rebalance terminates the worker at once and its actions fail.",
  fix:
    "add WorkerAutoscaler from @nativelink-aws/autoscaler (it creates the hook <name>-drain on every worker group; pass maxActionTimeoutSeconds = " +
    "cluster.workerMaxActionTimeoutSeconds), or use NativeLinkDeployment from @nativelink-aws/deployment, which wires it; or create an " +
    `aws_autoscaling_lifecycle_hook of that name with lifecycle_transition ${TERMINATING} on the group`,
  resourceTypes: ["aws_autoscaling_group"],
  check(group, stack) {
    const template = launchTemplateOf(group, stack);
    const hook = template && roleEnvValue(userDataText(template.config.user_data), ROLE_ENV_KEYS.lifecycleHook);
    if (hook === undefined) return [];
    const transitions = hookTransitions(group, hook, stack);
    if (transitions.includes(TERMINATING)) return [];
    return transitions.length === 0
      ? [`the group has no lifecycle hook ${hook}, the NATIVELINK_LIFECYCLE_HOOK of its launch template's user data`]
      : [`its lifecycle hook ${hook} is not on ${TERMINATING}`];
  },
};
