import { createHash } from "node:crypto";

/** SHA-256 (hex) of the parts, each length-prefixed so that ["ab", "c"] and ["a", "bc"] differ. */
export function contentHash(parts: readonly string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(`${Buffer.byteLength(part)}:${part}`);
  return hash.digest("hex");
}

/**
 * A content-addressed Image Builder semantic version: `1.<minor>.<patch>` from 56 bits of the hash.
 * Image Builder versions are immutable and each number may go up to 2^30 - 1, so equal inputs give the
 * same version (nothing to change, nothing rebaked) and any changed input gives a new one.
 */
export function contentVersion(hash: string): string {
  if (!/^[0-9a-f]{14,}$/.test(hash)) throw new Error(`contentVersion needs a hex hash, got "${hash}"`);
  const minor = Number.parseInt(hash.slice(0, 7), 16);
  const patch = Number.parseInt(hash.slice(7, 14), 16);
  return `1.${minor}.${patch}`;
}
