/**
 * Object helpers that behave like NativeLink's `#[serde(deny_unknown_fields)]` structs and
 * externally tagged enums, with messages that say what is allowed.
 */
import { z } from "zod";
import { NATIVELINK_VERSION } from "../version.js";

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The closest allowed key: the v1.6 `_s` rename of an old name, or a near spelling. */
export function suggestion(key: string, allowed: readonly string[]): string | undefined {
  if (allowed.includes(`${key}_s`)) return `${key}_s`;
  const ranked = allowed
    .map((candidate) => ({ candidate, distance: editDistance(key.toLowerCase(), candidate.toLowerCase()) }))
    .filter(({ distance }) => distance <= 2)
    .sort((a, b) => a.distance - b.distance);
  return ranked[0]?.candidate;
}

/** The message for keys a strict object does not know. */
export function unknownKeysMessage(keys: readonly string[], allowed: readonly string[]): string {
  const quoted = keys.map((key) => `"${key}"`).join(", ");
  const hint = keys.length === 1 ? suggestion(keys[0]!, allowed) : undefined;
  const did = hint ? ` (did you mean "${hint}"?)` : "";
  return `unknown field ${quoted}${did}; NativeLink v${NATIVELINK_VERSION} rejects unknown fields. Allowed here: ${allowed.join(", ")}`;
}

/** `z.strictObject` whose unknown-key message lists the allowed keys. */
export function strict<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? unknownKeysMessage(issue.keys, allowed) : undefined),
  });
}

/**
 * An externally tagged enum of object variants, `{<kind>: {...}}`, plus any fixed fields
 * (e.g. `name`). Exactly one kind must be present. The caller states the resulting type,
 * because store specs are recursive and TypeScript cannot infer that.
 */
export function oneKindOf<T>(what: string, kinds: Record<string, z.ZodType>, fixed: z.ZodRawShape = {}): z.ZodType<T> {
  const kindNames = Object.keys(kinds);
  const optionalKinds = Object.fromEntries(kindNames.map((kind) => [kind, kinds[kind]!.optional()]));
  const shape: z.ZodRawShape = { ...fixed, ...optionalKinds };
  return strict(shape).superRefine(
    (value, ctx) => {
      const present = kindNames.filter((kind) => (value as Record<string, unknown>)[kind] !== undefined);
      if (present.length === 1) return;
      ctx.addIssue({
        code: "custom",
        message:
          present.length === 0
            ? `missing the ${what} kind: add exactly one of ${kindNames.join(", ")}`
            : `a ${what} has exactly one kind, found ${present.join(" and ")}; keep one`,
      });
    },
    { when: (payload) => payload.issues.length === 0 },
  ) as unknown as z.ZodType<T>;
}

/** A map whose keys come out sorted, so rendering does not depend on insertion order. */
export function sortedRecord<Value extends z.ZodType>(value: Value) {
  return z.record(z.string(), value).transform((record) => {
    const sorted: Record<string, z.output<Value>> = {};
    for (const key of Object.keys(record).sort()) sorted[key] = record[key] as z.output<Value>;
    return sorted;
  });
}
