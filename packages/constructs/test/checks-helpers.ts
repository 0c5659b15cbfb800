import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { Aspects, TerraformStack, Testing } from "cdktf";
import { type CheckFinding, NativeLinkChecks } from "../src/checks/native-link-checks.js";
import type { CheckRule } from "../src/checks/rule.js";

/** A stack with an AWS provider, for rule tests. */
export function checkedStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "checked");
  new AwsProvider(stack, "aws", {});
  return stack;
}

/** Every finding of `rules` on the synthesized stack, suppressed ones included. */
export function findingsOf(stack: TerraformStack, rules: readonly CheckRule[]): CheckFinding[] {
  const checks = new NativeLinkChecks(rules);
  Aspects.of(stack).add(checks);
  Testing.synth(stack);
  return checks.findings;
}

/** Builds a stack with `build`, checks it with one rule, and returns the unsuppressed problems by resource. */
export function problemsOf(rule: CheckRule, build: (stack: TerraformStack) => void): string[] {
  const stack = checkedStack();
  build(stack);
  return findingsOf(stack, [rule])
    .filter((finding) => !finding.suppressed)
    .map((finding) => `${finding.resource}: ${finding.message.split(": ")[1]!.split(". ")[0]}`)
    .sort();
}
