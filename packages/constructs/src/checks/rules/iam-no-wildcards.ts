import type { CheckRule, StackItem, StackView } from "../rule.js";
import { documentStatements, type PolicyStatement, policyStatements } from "../policy-statements.js";

/** Read-only calls that AWS does not let you scope to a resource. */
const UNSCOPABLE_READ = /^[a-z0-9-]+:(Describe|List|Get)[A-Za-z]*$/;
/** Write calls that only take `*` as resource, allowed when a condition narrows them (e.g. a metric namespace). */
const UNSCOPABLE_WITH_CONDITION = new Set(["cloudwatch:PutMetricData", "xray:PutTraceSegments", "xray:PutTelemetryRecords"]);

function problems(statements: PolicyStatement[]): string[] {
  return statements
    .filter((statement) => statement.effect === "Allow")
    .flatMap((statement) => {
      const found: string[] = [];
      const wildcardActions = statement.actions.filter((action) => action.includes("*"));
      if (wildcardActions.length) found.push(`actions ${wildcardActions.join(", ")} use a wildcard`);
      if (statement.resources.includes("*")) {
        const unscoped = statement.actions.filter(
          (action) => !UNSCOPABLE_READ.test(action) && !(UNSCOPABLE_WITH_CONDITION.has(action) && statement.conditions.length > 0),
        );
        if (unscoped.length) found.push(`resource "*" is granted for ${unscoped.join(", ")}`);
      }
      return found;
    });
}

export const iamNoWildcards: CheckRule = {
  id: "NL-IAM-1",
  severity: "error",
  title: "No IAM statement allows * actions; * resources only for describe/list calls that cannot be scoped",
  explanation: "Wildcards grant what nobody reviewed (the original let workers terminate any instance in the account).",
  fix: "list the actions, and scope resources to ARNs (a bucket prefix, a group, a zone); conditions for calls that only take *",
  resourceTypes: ["aws_iam_policy_document", "aws_iam_role_policy", "aws_iam_policy", "aws_iam_role"],
  check(item: StackItem, stack: StackView) {
    if (item.type === "aws_iam_policy_document") return item.kind === "data" ? problems(documentStatements(item)) : [];
    if (item.type === "aws_iam_role") return []; // inline policies are checked through aws_iam_role_policy
    const statements = policyStatements(item.config.policy, stack);
    // A referenced document is checked as a data source of its own; only literal JSON is checked here.
    return statements && !stack.referenced(item.config.policy) ? problems(statements) : [];
  },
};
