/**
 * Data sizes as NativeLink v1.6.6 reads them: `byte-unit` 5.1 `Byte::parse_str(s, true)`
 * (bytes are the default unit, `b`/`B` both mean bytes, `bit`/`bits` mean bits, the `u128`
 * feature is off so the limit is 2^64 - 1, and fractional bytes round up).
 */

/** Largest value of a Rust `u64`/`usize` field (64-bit targets). */
export const U64_MAX = 2n ** 64n - 1n;
/** Largest value of a Rust `u32` field. */
export const U32_MAX = 2n ** 32n - 1n;

export type ParsedSize = { ok: true; bytes: bigint } | { ok: false; reason: string };

const NUMBER_THEN_UNIT = /^(\d+)(?:\.(\d+))? *([A-Za-z]*)$/;
/** prefix (k m g t p e) [i] [b | bit | bits], or b | bit | bits, or nothing; case-insensitive. */
const UNIT = /^(?:([kmgtpe])(i?)(b(?:its?)?)?|(b(?:its?)?))?$/i;
const PREFIX_POWER: Record<string, bigint> = { k: 1n, m: 2n, g: 3n, t: 4n, p: 5n, e: 6n };
/** rust_decimal keeps at most 28 fractional digits in a 96-bit mantissa. */
const MAX_FRACTION_DIGITS = 28;
const MAX_MANTISSA = 2n ** 96n;

export const SIZE_GRAMMAR =
  "an integer number of bytes, or digits with an optional unit: B, KB, KiB, MB, " +
  'MiB, GB, GiB, TB, TiB, PB, PiB, EB, EiB (case-insensitive, e.g. "10gb", "1.5GiB")';

function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}

/** Parses a size literal (no placeholder). */
export function parseSizeLiteral(text: string): ParsedSize {
  const trimmed = text.trim();
  const bad = (why: string): ParsedSize => ({ ok: false, reason: `"${text}" is not a size: ${why}` });
  if (trimmed === "") return bad(`empty; write ${SIZE_GRAMMAR}`);
  const number = NUMBER_THEN_UNIT.exec(trimmed);
  if (!number) return bad(`write ${SIZE_GRAMMAR}`);
  const [, whole, fraction = "", unitText = ""] = number;
  const unit = UNIT.exec(unitText);
  if (!unit) return bad(`unknown unit "${unitText}"; write ${SIZE_GRAMMAR}`);
  if (fraction.length > MAX_FRACTION_DIGITS) return bad("too many fractional digits");
  const mantissa = BigInt(whole! + fraction);
  if (mantissa >= MAX_MANTISSA) return bad("number too long");

  const [, prefix, binary, prefixedBase, bareBase] = unit;
  const base = prefixedBase ?? bareBase ?? "";
  const perUnit = prefix ? (binary ? 1024n : 1000n) ** PREFIX_POWER[prefix.toLowerCase()]! : 1n;
  const isBits = base.length > 1; // "bit" or "bits"; a lone "b" means bytes here
  const denominator = 10n ** BigInt(fraction.length) * (isBits ? 8n : 1n);
  const bytes = ceilDiv(mantissa * perUnit, denominator);
  if (bytes > U64_MAX) return bad("larger than 2^64 - 1 bytes");
  return { ok: true, bytes };
}

/** Checks a size against a field's Rust integer type; returns why it is wrong, or undefined. */
export function checkSizeBound(bytes: bigint, max: bigint): string | undefined {
  return bytes > max ? `${bytes} bytes exceeds this field's maximum of ${max}` : undefined;
}
