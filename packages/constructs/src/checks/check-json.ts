import { type CheckFinding, evaluateRules } from "./evaluate.js";
import type { CheckRule } from "./rule.js";
import { NATIVELINK_RULES } from "./rule-pack.js";
import { stackView } from "./stack-view.js";

type Section = Record<string, Record<string, Record<string, unknown>>>;
type Recorded = { nativelink_checks_suppressed?: { id: string; reason: string }[] } | undefined;

/**
 * Runs the rule pack over a synthesized stack (`cdktf.out/stacks/<stack>/cdk.tf.json`, parsed), for CI or tests that
 * hold the JSON rather than the constructs. A finding is suppressed when the resource's `//` metadata records a
 * suppression of its rule (`nativelink_checks_suppressed`, written by `NativeLinkChecks` at synthesis).
 */
export function checkTerraformJson(json: { resource?: Section; data?: Section }, rules: readonly CheckRule[] = NATIVELINK_RULES): CheckFinding[] {
  const view = stackView(json);
  const byPath = new Map(view.items.map((item) => [item.path, item]));
  return evaluateRules(rules, view.items, view, new Map()).map(({ finding }) => {
    const recorded = (byPath.get(finding.path)?.config["//"] as Recorded)?.nativelink_checks_suppressed ?? [];
    return { ...finding, suppressed: recorded.find((suppression) => suppression.id === finding.ruleId) };
  });
}
