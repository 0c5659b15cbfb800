import type { IConstruct } from "constructs";
import { addressOf, type CheckRule, type Severity, type StackItem, type StackView } from "./rule.js";
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

/** A finding with the construct that synthesized its resource, when the tree has it. */
export interface LocatedFinding {
  readonly finding: CheckFinding;
  readonly construct: IConstruct | undefined;
}

/** `[id] title: problem. explanation Fix: fix.`: what every finding says. */
export function findingMessage(rule: CheckRule, problem: string): string {
  return `[${rule.id}] ${rule.title}: ${problem.replace(/\.$/, "")}. ${rule.explanation} Fix: ${rule.fix}.`;
}

/** Constructs of a tree by path, to find the construct behind a synthesized item (its `//` metadata path). */
export function constructsByPath(root: IConstruct): Map<string, IConstruct> {
  return new Map(root.node.findAll().map((construct) => [construct.node.path, construct]));
}

/** Runs `rules` over `items`; a finding is suppressed when its construct or an ancestor suppresses the rule. */
export function evaluateRules(
  rules: readonly CheckRule[],
  items: readonly StackItem[],
  view: StackView,
  constructs: ReadonlyMap<string, IConstruct>,
): LocatedFinding[] {
  const located: LocatedFinding[] = [];
  for (const item of items) {
    const construct = constructs.get(item.path);
    for (const rule of rules.filter((r) => r.resourceTypes.includes(item.type))) {
      for (const problem of rule.check(item, view)) {
        const suppressed = construct ? suppressionFor(construct, rule.id) : undefined;
        const resource = addressOf(item);
        located.push({
          construct,
          finding: { ruleId: rule.id, severity: rule.severity, path: item.path, resource, message: findingMessage(rule, problem), suppressed },
        });
      }
    }
  }
  return located;
}
