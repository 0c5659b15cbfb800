import type { IConstruct } from "constructs";
import { Annotations, type IAspect, TerraformElement, TerraformStack } from "../cdktf.js";
import type { CheckRule, Severity, StackItem } from "./rule.js";
import { NATIVELINK_RULES } from "./rule-pack.js";
import { stackView } from "./stack-view.js";
import { type CheckSuppression, suppressionFor } from "./suppressions.js";

/** One rule's verdict on one resource. */
export interface CheckFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly path: string;
  readonly resource: string;
  readonly message: string;
  readonly suppressed?: CheckSuppression;
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
    const byPath = new Map(node.node.findAll().map((construct) => [construct.node.path, construct]));
    for (const item of view.items) {
      const construct = byPath.get(item.path);
      for (const rule of this.rules.filter((r) => r.resourceTypes.includes(item.type))) {
        for (const problem of rule.check(item, view)) this.report(rule, item, construct, problem);
      }
    }
  }

  private report(rule: CheckRule, item: StackItem, construct: IConstruct | undefined, problem: string): void {
    const message = `[${rule.id}] ${rule.title}: ${problem}. ${rule.explanation} Fix: ${rule.fix}.`;
    const suppressed = construct ? suppressionFor(construct, rule.id) : undefined;
    this.findings.push({ ruleId: rule.id, severity: rule.severity, path: item.path, resource: `${item.kind === "data" ? "data." : ""}${item.type}.${item.id}`, message, suppressed });
    if (suppressed) {
      if (construct instanceof TerraformElement) {
        const recorded = this.findings.filter((f) => f.path === item.path && f.suppressed).map((f) => ({ id: f.ruleId, reason: f.suppressed!.reason }));
        construct.addOverride("//.nativelink_checks_suppressed", recorded);
      }
      return;
    }
    const target = construct ?? undefined;
    if (!target) throw new Error(`${message} (resource ${item.type}.${item.id})`);
    if (rule.severity === "error") Annotations.of(target).addError(message);
    else Annotations.of(target).addWarning(message);
  }
}
