import { blocks, type StackItem, type StackView } from "./rule.js";

/** An IAM statement normalized from either a policy document data source or literal policy JSON. */
export interface PolicyStatement {
  readonly effect: "Allow" | "Deny";
  readonly actions: string[];
  readonly resources: string[];
  readonly conditions: { test: string; variable: string; values: string[] }[];
}

const asList = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);

/** The statements of an `aws_iam_policy_document` data source. */
export function documentStatements(document: StackItem): PolicyStatement[] {
  return blocks(document.config.statement).map((statement) => ({
    effect: statement.effect === "Deny" ? "Deny" : "Allow",
    actions: asList(statement.actions),
    resources: asList(statement.resources),
    conditions: blocks(statement.condition).map((c) => ({ test: String(c.test), variable: String(c.variable), values: asList(c.values) })),
  }));
}

/** The statements of a policy attribute: a reference to a policy document, or literal JSON. */
export function policyStatements(policy: unknown, stack: StackView): PolicyStatement[] | undefined {
  const document = stack.referenced(policy);
  if (document?.type === "aws_iam_policy_document") return documentStatements(document);
  if (typeof policy !== "string" || policy.startsWith("${")) return undefined;
  try {
    const parsed = JSON.parse(policy) as { Statement?: unknown };
    return blocks(parsed.Statement).map((statement) => ({
      effect: statement.Effect === "Deny" ? "Deny" : "Allow",
      actions: asList(statement.Action),
      resources: asList(statement.Resource),
      conditions: Object.entries((statement.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap(([test, byVariable]) =>
        Object.entries(byVariable).map(([variable, values]) => ({ test, variable, values: asList(values) })),
      ),
    }));
  } catch {
    return undefined;
  }
}
