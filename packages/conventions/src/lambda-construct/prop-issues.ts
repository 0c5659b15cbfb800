import { NativeLinkPropError, type PropProblem } from "../errors.js";

/** The part of a zod issue this needs (zod's `$ZodIssue` fits), so the module does not depend on zod. */
export interface SchemaIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * The issues of a props schema as one `NativeLinkPropError`: each issue's message is the fix (the schemas word them
 * as "must be …"), the prop is the issue's first path segment and the value the one given for it.
 */
export function propErrorFromIssues(constructPath: string, props: object, issues: readonly SchemaIssue[]): NativeLinkPropError {
  const given = props as Readonly<Record<string, unknown>>;
  const problems = issues.map((issue): PropProblem => {
    const prop = String(issue.path[0] ?? "props");
    const value = issue.path.length === 0 ? props : given[prop];
    if (value === undefined && issue.code === "invalid_type") return { prop, value, problem: "it is required", fix: `pass ${prop}: it ${issue.message}` };
    const at = issue.path.length > 1 ? ` at ${issue.path.map(String).join(".")}` : "";
    return { prop, value, problem: `${JSON.stringify(value)}${at} is refused`, fix: `it ${issue.message}` };
  });
  if (problems.length === 0) return new NativeLinkPropError(constructPath, "props", "the schema refused them", "check the props");
  return NativeLinkPropError.of(constructPath, problems as [PropProblem, ...PropProblem[]]);
}
