/**
 * The images lock file (`images.lock.json`): which NativeLink and otelcol-contrib releases an image bakes, and the
 * SHA-256 of each asset, as `nativelink-aws images lock` verified them against what the publishers publish. It is
 * committed with the app; the bake installs exactly these bytes (it compares the SHA-256 before unpacking).
 */
import { z } from "zod";
import { fromZodIssues } from "../errors.js";
import { RELEASE_ARCHITECTURES, RELEASE_TOOLS, releaseAssetName, type ReleaseArchitecture, type ReleaseTool } from "./assets.js";

/** The file name apps keep the lock under, next to their `cdktf.json`. */
export const IMAGES_LOCK_FILE_NAME = "images.lock.json";
/** The format version this package reads and writes. */
export const IMAGES_LOCK_FORMAT = 1;

const version = z.string().regex(/^\d+\.\d+\.\d+$/, { error: 'expected a release version without "v", e.g. "1.6.6"' });
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: "expected a SHA-256: 64 lowercase hex digits" });
/**
 * Where a release's assets are downloaded from: https, or plain http to this machine's loopback (a mirror on the machine
 * that runs `images lock`, as its tests serve one). Either way the bake compares every asset's SHA-256.
 */
export const ReleaseBaseUrlSchema = z
  .string()
  .regex(/^(?:https:\/\/[^\s'"/]+|http:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?)(?:\/[^\s'"]*)?$/, {
    error: "expected an https URL (or http://127.0.0.1 / localhost for a mirror on this machine)",
  })
  .refine((url) => !url.endsWith("/"), { error: "expected a URL without a trailing slash" });

const lockedAsset = z.strictObject({
  /** File name of the release asset, e.g. `nativelink-1.6.6-x86_64-unknown-linux-musl.tar.gz`. */
  name: z.string().min(1),
  /** SHA-256 of the asset's bytes, lowercase hex. */
  sha256,
  /** Size in bytes. */
  size: z.number().int().positive(),
});

const lockedRelease = z.strictObject({
  version,
  /** `<releaseBaseUrl>/v<version>/<asset name>` is where the bake downloads each asset. */
  releaseBaseUrl: ReleaseBaseUrlSchema,
  assets: z.strictObject({ x86_64: lockedAsset, arm64: lockedAsset }),
  /**
   * What was checked before these digests were written, in words (e.g. "SLSA provenance … lists this digest"):
   * a record for the reviewer of the lock file; the bake relies on the digests alone.
   */
  verifiedBy: z.array(z.string().min(1)).min(1, { error: "a lock records at least one verification" }),
});

export const ImagesLockSchema = z
  .strictObject({
    format: z.literal(IMAGES_LOCK_FORMAT, {
      error: `expected format ${IMAGES_LOCK_FORMAT} (this version of nativelink-aws reads format ${IMAGES_LOCK_FORMAT})`,
    }),
    /** When the lock was written (ISO 8601). */
    lockedAt: z.iso.datetime(),
    /** The command and version that wrote it. */
    lockedBy: z.string().min(1),
    nativelink: lockedRelease,
    otelcol: lockedRelease,
  })
  .superRefine((lock, ctx) => {
    for (const tool of RELEASE_TOOLS) {
      for (const architecture of RELEASE_ARCHITECTURES) {
        const expected = releaseAssetName(tool, lock[tool].version, architecture);
        if (lock[tool].assets[architecture].name !== expected) {
          ctx.addIssue({ code: "custom", path: [tool, "assets", architecture, "name"], message: `expected "${expected}" for version ${lock[tool].version}` });
        }
      }
    }
  });

export type ImagesLock = z.output<typeof ImagesLockSchema>;
export type LockedRelease = ImagesLock[ReleaseTool];
export type LockedAsset = LockedRelease["assets"][ReleaseArchitecture];

/** Thrown when a lock file is missing or does not parse; the message says what to run. */
export class ImagesLockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImagesLockError";
  }
}

/** The command that (re)writes a lock file at `path`. */
export function imagesLockCommand(path: string): string {
  return `npx nativelink-aws images lock --out ${path}`;
}

/**
 * Parses a lock file's text. `source` names the file in messages.
 * @throws ImagesLockError naming each bad field and the command that writes a good file.
 */
export function parseImagesLock(text: string, source: string): ImagesLock {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ImagesLockError(`${source} is not JSON (${(error as Error).message}); write it again with: ${imagesLockCommand(source)}`);
  }
  const parsed = ImagesLockSchema.safeParse(json);
  if (!parsed.success) {
    const problems = fromZodIssues(parsed.error.issues).map((issue) => `  ${issue.path}: ${issue.message}`);
    throw new ImagesLockError(`${source} is not a valid images lock file:\n${problems.join("\n")}\nWrite it again with: ${imagesLockCommand(source)}`);
  }
  return parsed.data;
}

/** The lock as its file holds it: stable key order, two-space indent, a final newline. */
export function renderImagesLock(lock: ImagesLock): string {
  return `${JSON.stringify(ImagesLockSchema.parse(lock), null, 2)}\n`;
}
