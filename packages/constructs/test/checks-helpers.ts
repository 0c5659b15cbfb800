import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { Aspects, TerraformStack, Testing } from "cdktf";
import { NativeLinkChecks } from "../src/checks/native-link-checks.js";
import type { CheckRule } from "../src/checks/rule.js";

/** Builds a stack with `build`, checks it with one rule, and returns the unsuppressed problems by resource. */
export function problemsOf(rule: CheckRule, build: (stack: TerraformStack) => void): string[] {
  const stack = new TerraformStack(Testing.app(), "checked");
  new AwsProvider(stack, "aws", {});
  build(stack);
  const checks = new NativeLinkChecks([rule]);
  Aspects.of(stack).add(checks);
  Testing.synth(stack);
  return checks.findings.filter((finding) => !finding.suppressed).map((finding) => `${finding.resource}: ${finding.message.split(": ")[1]!.split(". ")[0]}`).sort();
}
