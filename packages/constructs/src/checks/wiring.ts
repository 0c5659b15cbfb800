import type { IConstruct } from "constructs";
import { TerraformStack } from "../cdktf.js";
import { constructsByPath, evaluateRules } from "./evaluate.js";
import { rulesCheckedOn } from "./native-link-checks.js";
import { COMPLETENESS_RULES } from "./rule-pack.js";
import { stackView } from "./stack-view.js";

/**
 * The unsuppressed error findings of the completeness rules for what `scope` creates, and for the Image Builder
 * configurations its launch templates' images are baked in. `NativeLinkCluster` returns them from a construct
 * validation, so a half-wired cluster fails `app.synth()` even in a stack without `NativeLinkChecks`. A stack that
 * `NativeLinkChecks` has checked with these rules is not checked twice (synthesis fails on its error annotations).
 */
export function wiringProblems(scope: IConstruct): string[] {
  const stack = TerraformStack.of(scope);
  const rules = COMPLETENESS_RULES.filter((rule) => rule.severity === "error");
  // A NativeLinkChecks aspect with these rules has checked the whole stack; its error annotations fail synthesis.
  if (rules.every((rule) => rulesCheckedOn(stack).has(rule.id))) return [];
  const view = stackView(stack.toTerraform());
  const own = view.items.filter((item) => item.path.startsWith(`${scope.node.path}/`));
  const bakes = own
    .filter((item) => item.type === "aws_launch_template")
    .flatMap((template) => view.references(template.config.image_id))
    .filter((image) => image.type === "aws_imagebuilder_image")
    .flatMap((image) => view.references(image.config.infrastructure_configuration_arn));
  return evaluateRules(rules, [...new Set([...own, ...bakes])], view, constructsByPath(stack))
    .map(({ finding }) => finding)
    .filter((finding) => !finding.suppressed && finding.severity === "error")
    .map((finding) => `${finding.message} (resource ${finding.resource})`);
}
