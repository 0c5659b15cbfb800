// What a new lock changes against the one on disk, in words for the summary; and whether there is anything to write.
import { RELEASE_ARCHITECTURES, RELEASE_TOOLS, type ImagesLock, type ReleaseTool } from "@nativelink-aws/nativelink-config";

/** The lock on disk before the command ran. */
export type PreviousLock =
  | { readonly kind: "none" }
  | { readonly kind: "invalid"; readonly problem: string }
  | { readonly kind: "valid"; readonly lock: ImagesLock };

const TOOL_NAMES: Readonly<Record<ReleaseTool, string>> = { nativelink: "nativelink", otelcol: "otelcol-contrib" };

const short = (sha256: string) => `${sha256.slice(0, 12)}…`;

/** Whether the two locks pin the same releases with the same evidence (when they were written aside). */
export function sameReleases(a: ImagesLock, b: ImagesLock): boolean {
  return JSON.stringify([a.nativelink, a.otelcol]) === JSON.stringify([b.nativelink, b.otelcol]);
}

/** One line per change, or a single line saying there is none. */
export function describeLockChanges(previous: PreviousLock, next: ImagesLock): string[] {
  if (previous.kind === "none") return ["new lock file"];
  if (previous.kind === "invalid") return [`replaces a lock file that did not parse (${previous.problem.split("\n")[0]})`];
  const lines: string[] = [];
  for (const tool of RELEASE_TOOLS) {
    const before = previous.lock[tool];
    const after = next[tool];
    const name = TOOL_NAMES[tool];
    if (before.version !== after.version) {
      lines.push(`${name}: ${before.version} -> ${after.version}`);
    } else {
      for (const architecture of RELEASE_ARCHITECTURES) {
        const [was, now] = [before.assets[architecture].sha256, after.assets[architecture].sha256];
        if (was !== now) {
          lines.push(
            `${name} ${after.version} ${architecture}: SHA-256 ${short(was)} -> ${short(now)} for the same version: ` +
              "the published asset was replaced; find out why before committing",
          );
        }
      }
    }
    if (before.releaseBaseUrl !== after.releaseBaseUrl) lines.push(`${name}: downloads from ${after.releaseBaseUrl} (was ${before.releaseBaseUrl})`);
  }
  if (lines.length === 0) return [sameReleases(previous.lock, next) ? "no change" : "no change to versions or digests; the verification record is updated"];
  return lines;
}
