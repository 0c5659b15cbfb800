import type { core } from "zod/mini";

/**
 * Messages for validation issues that a schema did not word itself. zod/mini ships no locale (its default is
 * "Invalid input"), and the English one would add ~10 KB to the bundle; these say what was found and expected.
 */
export const describeIssue: core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? `is missing (expected ${issue.expected})` : `is ${kindOf(issue.input)}, expected ${issue.expected}`;
    case "invalid_value":
      return `is ${JSON.stringify(issue.input)}, expected ${issue.values.map((value) => JSON.stringify(value)).join(" or ")}`;
    case "unrecognized_keys":
      return `has unexpected keys: ${issue.keys.join(", ")}`;
    default:
      return undefined;
  }
};

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? JSON.stringify(value) : typeof value;
}

/** `path: message` for each issue, the path dotted; the event itself is `(event)`. */
export function formatIssues(issues: readonly core.$ZodIssue[], root: string): string[] {
  return issues.map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : root}: ${issue.message}`);
}
