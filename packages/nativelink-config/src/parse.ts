/** Validation entry points: the schema first, then the cross-field rules. */
import JSON5 from "json5";
import { NativeLinkConfigError, fromZodIssues } from "./errors.js";
import type { NativeLinkConfig } from "./schema/config.js";
import { NativeLinkConfigSchema } from "./schema/config.js";
import { crossCheck } from "./validate/index.js";

export type SafeParseResult = { success: true; config: NativeLinkConfig } | { success: false; error: NativeLinkConfigError };

/** Validates a configuration object without throwing. */
export function safeParseConfig(input: unknown): SafeParseResult {
  const parsed = NativeLinkConfigSchema.safeParse(input);
  if (!parsed.success) return { success: false, error: new NativeLinkConfigError(fromZodIssues(parsed.error.issues)) };
  const issues = crossCheck(parsed.data);
  if (issues.length > 0) return { success: false, error: new NativeLinkConfigError(issues) };
  return { success: true, config: parsed.data };
}

/**
 * Validates a configuration object and returns it with map keys sorted.
 * @throws NativeLinkConfigError listing every problem as `<path>: <message>`.
 */
export function parseConfig(input: unknown): NativeLinkConfig {
  const result = safeParseConfig(input);
  if (!result.success) throw result.error;
  return result.config;
}

/**
 * Parses and validates JSON5 text, e.g. a file written by `renderConfig`.
 * @throws NativeLinkConfigError for a syntax error (path `(text)`) or an invalid configuration.
 */
export function parseConfigText(text: string): NativeLinkConfig {
  let value: unknown;
  try {
    value = JSON5.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new NativeLinkConfigError([{ path: "(text)", message: `not valid JSON5: ${message}` }]);
  }
  return parseConfig(value);
}
