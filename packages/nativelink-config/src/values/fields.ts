/**
 * Zod builders for the value kinds of NativeLink's configuration. Each mirrors one of the
 * `serde_utils.rs` helpers, so a field here accepts what that helper accepts at start-up.
 */
import { z } from "zod";
import { DURATION_GRAMMAR, parseDurationLiteral } from "./duration.js";
import { checkExpandedString, checkLiteralString, parseWholePlaceholder } from "./placeholder.js";
import { SIZE_GRAMMAR, U64_MAX, checkSizeBound, parseSizeLiteral } from "./size.js";

/** Checks a literal (placeholder-free) string; returns why it is wrong, or undefined. */
type LiteralCheck = (text: string) => string | undefined;

/**
 * A scalar NativeLink also accepts as a string after shell expansion: the string is either a
 * literal or exactly one `${NAME}` / `${NAME:-default}` whose default is itself a valid literal.
 */
function expandableScalarString(kind: string, checkLiteral: LiteralCheck): LiteralCheck {
  return (text) => {
    const whole = parseWholePlaceholder(text);
    if (whole) {
      if (whole.fallback === undefined) return undefined;
      const problem = checkLiteral(whole.fallback);
      return problem && `placeholder default is not a valid ${kind}: ${problem}`;
    }
    if (text.includes("$")) return `a ${kind} is either a literal or exactly one \${NAME:-default} placeholder`;
    return checkLiteral(text);
  };
}

function integerCheck(value: number, max: bigint): string | undefined {
  if (!Number.isSafeInteger(value) || value < 0) return `${value} is not a non-negative integer`;
  return BigInt(value) > max ? `${value} exceeds this field's maximum of ${max}` : undefined;
}

function numberOrString(kind: string, grammar: string, max: bigint, checkText: LiteralCheck) {
  return z.union([z.number(), z.string()], { error: `expected a ${kind}: ${grammar}` }).superRefine((value, ctx) => {
    const problem = typeof value === "number" ? integerCheck(value, max) : checkText(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

/** A data size (`convert_data_size_with_shellexpand`): bytes as an integer, or `"10gb"`, or a placeholder. */
export function size(max: bigint = U64_MAX) {
  const literal: LiteralCheck = (text) => {
    const parsed = parseSizeLiteral(text);
    return parsed.ok ? checkSizeBound(parsed.bytes, max) : parsed.reason;
  };
  return numberOrString("size", SIZE_GRAMMAR, max, expandableScalarString("size", literal));
}

/** A duration in seconds (`convert_duration_with_shellexpand`): an integer, `"5m"`, or a placeholder. */
export function duration(max: bigint = U64_MAX) {
  const literal: LiteralCheck = (text) => {
    const parsed = parseDurationLiteral(text);
    if (!parsed.ok) return parsed.reason;
    return parsed.seconds > max ? `${parsed.seconds} seconds exceeds this field's maximum of ${max}` : undefined;
  };
  return numberOrString("duration", DURATION_GRAMMAR, max, expandableScalarString("duration", literal));
}

/** An integer (`convert_numeric_with_shellexpand`): a number, a digit string, or a placeholder. */
export function integer(max: bigint = U64_MAX) {
  const literal: LiteralCheck = (text) => {
    const trimmed = text.trim();
    if (!/^\+?\d+$/.test(trimmed)) return `"${text}" is not an integer`;
    return BigInt(trimmed) > max ? `${trimmed} exceeds this field's maximum of ${max}` : undefined;
  };
  return numberOrString("integer", "a non-negative integer", max, expandableScalarString("integer", literal));
}

/** A boolean (`convert_boolean_with_shellexpand`): true/false, `"true"`/`"false"`, or a placeholder. */
export function flag() {
  const literal: LiteralCheck = (text) => (/^(true|false)$/i.test(text.trim()) ? undefined : `"${text}" is not "true" or "false"`);
  const checkText = expandableScalarString("boolean", literal);
  return z.union([z.boolean(), z.string()], { error: "expected a boolean" }).superRefine((value, ctx) => {
    const problem = typeof value === "string" ? checkText(value) : undefined;
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

/** A string NativeLink shell-expands (`convert_string_with_shellexpand`). */
export function expandedString() {
  return z.string().superRefine((value, ctx) => {
    const problem = checkExpandedString(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

/** A string NativeLink takes verbatim. */
export function literalString() {
  return z.string().superRefine((value, ctx) => {
    const problem = checkLiteralString(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

/**
 * The name of a store or scheduler defined in this file. NativeLink expands some of these
 * fields, but we require literal names so every reference can be checked before deployment.
 */
export function reference(kind: "store" | "scheduler") {
  return z
    .string()
    .min(1, { error: `a ${kind} name must not be empty` })
    .superRefine((value, ctx) => {
      if (value.includes("$")) {
        ctx.addIssue({
          code: "custom",
          message: `write the ${kind} name literally (no placeholders) so the reference can be checked before deployment`,
        });
      }
    });
}
