/**
 * Route 53 returns names with a trailing dot and escapes some characters (`*` as `\052`); configuration may come
 * in any case. Compare names only in this form: lower case, octal escapes decoded, no trailing dot.
 */
export function normalizeRecordName(name: string): string {
  const decoded = name.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
  return decoded.trim().toLowerCase().replace(/\.$/, "");
}
