/**
 * Durations as NativeLink v1.6.6 reads them from strings: `humantime::parse_duration`
 * (a sequence of `<integer><unit>` spans, a unit is required), truncated to whole seconds.
 * We accept the units of humantime 2.2; NativeLink pins 2.3.0, which accepts these and a few more.
 */

const NANOS_PER_SECOND = 1_000_000_000n;
const UNIT_NANOS: Record<string, bigint> = {};
function units(nanos: bigint, ...names: string[]): void {
  for (const name of names) UNIT_NANOS[name] = nanos;
}
units(1n, "nanos", "nsec", "ns");
units(1_000n, "usec", "us");
units(1_000_000n, "millis", "msec", "ms");
units(NANOS_PER_SECOND, "seconds", "second", "secs", "sec", "s");
units(60n * NANOS_PER_SECOND, "minutes", "minute", "min", "mins", "m");
units(3_600n * NANOS_PER_SECOND, "hours", "hour", "hr", "hrs", "h");
units(86_400n * NANOS_PER_SECOND, "days", "day", "d");
units(604_800n * NANOS_PER_SECOND, "weeks", "week", "w");
units(2_630_016n * NANOS_PER_SECOND, "months", "month", "M");
units(31_557_600n * NANOS_PER_SECOND, "years", "year", "y");

export type ParsedDuration = { ok: true; seconds: bigint } | { ok: false; reason: string };

export const DURATION_GRAMMAR =
  'an integer number of seconds, or spans like "30s", "5m", "1h 30m" (units ns, us, ms, s, m, h, d, w, M, y and their long forms)';

/** Parses a duration literal (no placeholder). */
export function parseDurationLiteral(text: string): ParsedDuration {
  const trimmed = text.trim();
  const bad = (why: string): ParsedDuration => ({ ok: false, reason: `"${text}" is not a duration: ${why}` });
  if (!/^(?:\d+\s*[A-Za-z]+\s*)+$/.test(trimmed)) return bad(`write ${DURATION_GRAMMAR}`);
  let nanos = 0n;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)\s*([A-Za-z]+)/g)) {
    const perUnit = UNIT_NANOS[unit!];
    if (perUnit === undefined) return bad(`unknown unit "${unit}"; write ${DURATION_GRAMMAR}`);
    nanos += BigInt(amount!) * perUnit;
  }
  return { ok: true, seconds: nanos / NANOS_PER_SECOND };
}
