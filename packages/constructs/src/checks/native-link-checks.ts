import type { IConstruct } from "constructs";
import { Annotations, type IAspect, TerraformElement, TerraformStack } from "../cdktf.js";
import { type CheckFinding, constructsByPath, evaluateRules } from "./evaluate.js";
import type { CheckRule } from "./rule.js";
import { NATIVELINK_RULES } from "./rule-pack.js";
import { stackView } from "./stack-view.js";

export type { CheckFinding } from "./evaluate.js";

/** The rule ids a NativeLinkChecks aspect evaluated on each stack in this synthesis. */
const checkedRules = new WeakMap<TerraformStack, Set<string>>();

/** Rule ids already evaluated on `stack` by a NativeLinkChecks aspect, whose error findings fail synthesis anyway. */
export function rulesCheckedOn(stack: TerraformStack): ReadonlySet<string> {
  return checkedRules.get(stack) ?? new Set();
}

/**
 * The NativeLink rule pack as a cdktf aspect, in the style of cdk-nag: add it to a stack and every
 * resource is checked at synthesis. Error findings become error annotations, which make `app.synth()`
 * fail; warnings are annotated; suppressed findings are recorded in the resource's `//` metadata.
 *
 * ```ts
 * Aspects.of(stack).add(new NativeLinkChecks());
 * ```
 */
export class NativeLinkChecks implements IAspect {
  /** Every finding of the last visit, suppressed ones included (for reports and tests). */
  readonly findings: CheckFinding[] = [];

  constructor(private readonly rules: readonly CheckRule[] = NATIVELINK_RULES) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformStack)) return;
    const view = stackView(node.toTerraform());
    for (const { finding, construct } of evaluateRules(this.rules, view.items, view, constructsByPath(node))) this.report(finding, construct);
    checkedRules.set(node, new Set([...rulesCheckedOn(node), ...this.rules.map((rule) => rule.id)]));
  }

  private report(finding: CheckFinding, construct: IConstruct | undefined): void {
    this.findings.push(finding);
    if (finding.suppressed) {
      if (construct instanceof TerraformElement) {
        const recorded = this.findings.filter((f) => f.path === finding.path && f.suppressed).map((f) => ({ id: f.ruleId, reason: f.suppressed!.reason }));
        construct.addOverride("//.nativelink_checks_suppressed", recorded);
      }
      return;
    }
    if (!construct) throw new Error(`${finding.message} (resource ${finding.resource})`);
    if (finding.severity === "error") Annotations.of(construct).addError(finding.message);
    else Annotations.of(construct).addWarning(finding.message);
  }
}
