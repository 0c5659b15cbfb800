/** The error every validation failure of this package throws, with one line per problem. */
import type { z } from "zod";

/** One problem: where (`stores[1].fast_slow.fast`) and what to do about it. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** Thrown by `parseConfig`, `parseConfigText`, `renderConfig` and the presets. */
export class NativeLinkConfigError extends Error {
  /** Every problem found, in a stable order. */
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join("\n"));
    this.name = "NativeLinkConfigError";
    this.issues = issues;
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `["stores", 1, "fast_slow"]` → `stores[1].fast_slow`; odd keys are quoted: `a["container-image"]`. */
export function formatPath(path: readonly PropertyKey[], root = ""): string {
  let text = root;
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (typeof segment === "string" && IDENTIFIER.test(segment)) text += text === "" ? segment : `.${segment}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text === "" ? "(root)" : text;
}

/** Turns zod issues into ours: one issue per unknown key, plain words for missing fields. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], root = ""): ConfigIssue[] {
  const result: ConfigIssue[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys" && issue.keys.length === 1) {
      result.push({ path: formatPath([...issue.path, issue.keys[0]!], root), message: issue.message });
    } else if (issue.code === "invalid_type" && issue.message.endsWith("received undefined")) {
      result.push({ path: formatPath(issue.path, root), message: `required field is missing (expected ${issue.expected})` });
    } else {
      result.push({ path: formatPath(issue.path, root), message: issue.message });
    }
  }
  return result;
}
