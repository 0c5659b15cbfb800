// `nativelink-aws images lock`: download NativeLink's and otelcol-contrib's release assets, verify them against what
// their publishers sign, and write the images lock file the image bake installs from; all of it, or nothing.
import { readFile, stat } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import {
  DEFAULT_OTELCOL_VERSION,
  DEFAULT_RELEASE_BASE_URLS,
  IMAGES_LOCK_FILE_NAME,
  IMAGES_LOCK_FORMAT,
  NATIVELINK_VERSION,
  RELEASE_ARCHITECTURES,
  ReleaseBaseUrlSchema,
  parseImagesLock,
  renderImagesLock,
  type ImagesLock,
} from "@nativelink-aws/nativelink-config";
import { UsageError } from "../errors.js";
import { integerFlag, parseFlags } from "../flags.js";
import { writeLines, type CliIo } from "../io.js";
import { writeFileAtomically } from "../images/atomic-write.js";
import { describeLockChanges, sameReleases, type PreviousLock } from "../images/lock-changes.js";
import type { VerifiedRelease } from "../images/download.js";
import { downloadProgress, formatSize } from "../images/progress.js";
import { planRelease } from "../images/release-plan.js";
import { publicGoodTrustedRoot, trustedRootFromFile } from "../images/trusted-root.js";
import { verifyReleases } from "../images/verify-releases.js";

/** The first otelcol-contrib release with a Sigstore bundle per asset (cosign v3, split checksums). */
const FIRST_SIGNED_OTELCOL = [0, 158, 0] as const;

const releaseVersion = z
  .string()
  .trim()
  .transform((value) => value.replace(/^v/, ""))
  .pipe(z.string().regex(/^\d+\.\d+\.\d+$/, 'is not a release version such as 1.6.6 (a leading "v" is accepted)'));

const otelcolVersion = releaseVersion.refine(
  (version) => {
    const [major, minor, patch] = version.split(".").map(Number) as [number, number, number];
    const [firstMajor, firstMinor, firstPatch] = FIRST_SIGNED_OTELCOL;
    return major !== firstMajor ? major > firstMajor : minor !== firstMinor ? minor > firstMinor : patch >= firstPatch;
  },
  `publishes no Sigstore bundle before ${FIRST_SIGNED_OTELCOL.join(".")}; use ${FIRST_SIGNED_OTELCOL.join(".")} or later`,
);

const releaseBaseUrl = z
  .string()
  .trim()
  .transform((value) => value.replace(/\/+$/, ""))
  .pipe(ReleaseBaseUrlSchema);

const imagesLockFlags = z.object({
  nativelinkVersion: releaseVersion,
  otelcolVersion,
  out: z.string().min(1, "is empty"),
  nativelinkReleaseBaseUrl: releaseBaseUrl,
  otelcolReleaseBaseUrl: releaseBaseUrl,
  trustedRoot: z.string().min(1, "is empty").optional(),
  timeoutSeconds: integerFlag(1, 3600, "30"),
});

const HELP = `
What it verifies (see the README, "images lock"):
  NativeLink   the SLSA provenance (<base>/v<version>/nativelink-<version>.intoto.jsonl), a Sigstore bundle signed by
               slsa-github-generator for TraceMachina/nativelink at the tag, lists each tarball's SHA-256; each
               tarball's cosign .sig/.pem is signed by NativeLink's release workflow at the tag.
  otelcol      each tarball's .sigstore.json is signed by the collector-releases base-release workflow at the tag,
               over the tarball's bytes, and its .sha256 agrees.
Signatures are checked against the Sigstore public-good trusted root shipped with this CLI, without network;
--trusted-root replaces it. A mirror keeps the <base>/v<version>/<file> layout of GitHub releases.

Exit codes: 0 verified and written (or already up to date), 1 a release did not verify, 2 usage error,
3 a download failed (HTTP error, timeout, connection), 130 interrupted. On any failure nothing is written.

Examples:
  nativelink-aws images lock
  nativelink-aws images lock --nativelink-version v1.6.6 --otelcol-version 0.161.0 --out apps/my-cluster/images.lock.json`;

async function previousLock(path: string): Promise<PreviousLock> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "none" };
    throw new UsageError(`--out ${path}: cannot read the existing lock file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return { kind: "valid", lock: parseImagesLock(text, path) };
  } catch (error) {
    return { kind: "invalid", problem: (error as Error).message };
  }
}

/** Fails before any download when the lock could not be written at `path`. */
async function assertWritableTarget(path: string, flag: string): Promise<void> {
  const parent = await stat(dirname(path)).catch(() => undefined);
  if (!parent?.isDirectory()) throw new UsageError(`--out ${flag}: the directory ${dirname(path)} does not exist; create it first`);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw new UsageError(`--out ${flag}: is a directory; pass a file path such as ${flag.replace(/\/?$/, "/")}${IMAGES_LOCK_FILE_NAME}`);
  }
}

function describeRelease(title: string, release: VerifiedRelease): string[] {
  return [
    `${title} ${release.locked.version}: ${release.summary}`,
    ...RELEASE_ARCHITECTURES.map((architecture) => {
      const asset = release.locked.assets[architecture];
      return `  ${architecture.padEnd(6)} ${asset.name}  sha256 ${asset.sha256}  ${formatSize(asset.size)}`;
    }),
  ];
}

export function registerImages(program: Command, io: CliIo): void {
  const images = program.command("images").description("The release assets the images bake: download, verify and lock them.");
  images
    .command("lock")
    .description("Download NativeLink's and otelcol-contrib's release assets, verify their signatures and provenance, and write the images lock file.")
    .option("--nativelink-version <version>", "NativeLink release", NATIVELINK_VERSION)
    .option("--otelcol-version <version>", "otelcol-contrib release (0.158.0 or later)", DEFAULT_OTELCOL_VERSION)
    .option("--out <file>", "the lock file to write", IMAGES_LOCK_FILE_NAME)
    .option("--nativelink-release-base-url <url>", "NativeLink releases, or a mirror of them", DEFAULT_RELEASE_BASE_URLS.nativelink)
    .option("--otelcol-release-base-url <url>", "otelcol-contrib releases, or a mirror of them", DEFAULT_RELEASE_BASE_URLS.otelcol)
    .option("--trusted-root <file>", "a Sigstore trusted_root.json to verify against (default: the public-good root shipped with this CLI)")
    .option("--timeout-seconds <n>", "give up on a download when the server sends nothing for this long", "30")
    .addHelpText("after", HELP)
    .action(async (raw: unknown) => {
      const flags = parseFlags(imagesLockFlags, raw);
      const out = resolve(io.cwd, flags.out);
      const shown = relative(io.cwd, out) || out;
      await assertWritableTarget(out, flags.out);
      const trust = flags.trustedRoot === undefined ? publicGoodTrustedRoot() : trustedRootFromFile(resolve(io.cwd, flags.trustedRoot), flags.trustedRoot);
      const previous = await previousLock(out);
      const plan = planRelease(flags);
      const progress = downloadProgress(io.stderr);
      const releases = await verifyReleases({ plan, trust, idleTimeoutMs: flags.timeoutSeconds * 1000, signal: io.signal, progress });
      const lock: ImagesLock = {
        format: IMAGES_LOCK_FORMAT,
        lockedAt: new Date().toISOString(),
        lockedBy: `nativelink-aws images lock ${program.version() ?? ""}`.trim(),
        nativelink: releases.nativelink.locked,
        otelcol: releases.otelcol.locked,
      };
      const upToDate = previous.kind === "valid" && sameReleases(previous.lock, lock);
      if (!upToDate) await writeFileAtomically(out, renderImagesLock(lock));
      writeLines(io.stdout, [
        ...describeRelease("nativelink", releases.nativelink),
        ...describeRelease("otelcol-contrib", releases.otelcol),
        `verified against ${trust.description}; the lock's verifiedBy records each check`,
        `changes: ${describeLockChanges(previous, lock).join("; ")}`,
        upToDate ? `${shown} is up to date; left as it was` : `wrote ${shown}; commit it with the app`,
      ]);
    });
}
