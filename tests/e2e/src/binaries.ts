// The real binaries the suite runs: NativeLink, and the OpenTelemetry collector of the schedulers' image. An
// environment variable names each; without it, the release that the reference app's images lock file pins is
// downloaded once, its SHA-256 compared with the lock, and the binary unpacked into a cache directory, with its own
// SHA-256 beside it, compared again before each use.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { IMAGES_LOCK_FILE_NAME, NATIVELINK_VERSION, parseImagesLock, releaseAssetUrl, type ReleaseTool } from "@nativelink-aws/nativelink-config";
import { REPOSITORY_ROOT } from "./paths.js";

/** Where the reference app keeps its lock file, and where downloaded releases are unpacked. */
export const IMAGES_LOCK_PATH = join(REPOSITORY_ROOT, "apps/reference-deployment", IMAGES_LOCK_FILE_NAME);
const CACHE_DIRECTORY = join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "nativelink-aws", "e2e");

interface BinarySpec {
  readonly tool: ReleaseTool;
  readonly variable: string;
  /** The binary's name inside the release tarball. */
  readonly binary: string;
  /** The version `--version` must print. */
  readonly version: (lockedVersion: string | undefined) => string;
  /** The whole of what `--version` prints for `version` (trimmed), e.g. `nativelink 1.6.6`. */
  readonly versionOutput: (version: string) => RegExp;
  readonly sharedName: string;
}

const SPECS: Record<ReleaseTool, BinarySpec> = {
  nativelink: {
    tool: "nativelink",
    variable: "NATIVELINK_BIN",
    binary: "nativelink",
    // The configuration model is NativeLink's of this version: the suite checks that binary.
    version: () => NATIVELINK_VERSION,
    versionOutput: (version) => new RegExp(`^nativelink ${escapeRegExp(version)}$`),
    sharedName: `nativelink-${NATIVELINK_VERSION}-x86_64-linux`,
  },
  otelcol: {
    tool: "otelcol",
    variable: "OTELCOL_BIN",
    binary: "otelcol-contrib",
    version: (locked) => locked ?? "",
    // otelcol-contrib, or the image's own build (otelcol-nativelink): "<name> version <version>".
    versionOutput: (version) => new RegExp(`^otelcol[A-Za-z0-9-]* version ${version === "" ? "\\S+" : escapeRegExp(version)}$`),
    sharedName: "otelcol-nativelink-0.161.0-x86_64-linux",
  },
};

/** Where to look; the defaults are the real ones, tests point them elsewhere. */
export interface ResolveOptions {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default IMAGES_LOCK_PATH */
  readonly lockPath?: string;
  /** @default ~/.cache/nativelink-aws/e2e */
  readonly cacheDirectory?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
}

/** A usable binary and where it came from (for the suite's log). */
export interface ResolvedBinary {
  readonly path: string;
  readonly source: string;
}

/**
 * The binary of `tool`: `$NATIVELINK_BIN` / `$OTELCOL_BIN`, else the x86_64 release the images lock file names
 * (downloaded once and verified). Never silently absent: without either it throws, saying how to get one.
 */
export async function resolveBinary(tool: ReleaseTool, options: ResolveOptions = {}): Promise<ResolvedBinary> {
  const spec = SPECS[tool];
  const named = (options.env ?? process.env)[spec.variable];
  const lockPath = options.lockPath ?? IMAGES_LOCK_PATH;
  const lock = existsSync(lockPath) ? parseImagesLock(readFileSync(lockPath, "utf8"), lockPath) : undefined;
  const expectedVersion = spec.version(lock?.[tool].version);
  if (named) {
    checkExecutable(named, `${spec.variable}=${named}`);
    checkVersion(spec, named, expectedVersion, `${spec.variable}=${named}`);
    return { path: named, source: `$${spec.variable}` };
  }
  if (!lock) throw new Error(missingBinaryMessage(spec, `there is no ${lockPath} to download it from`, lockPath));
  if (process.arch !== "x64" || process.platform !== "linux") {
    throw new Error(missingBinaryMessage(spec, `the lock's releases run on x86_64 Linux, this is ${process.platform}/${process.arch}`, lockPath));
  }
  const release = lock[tool];
  const asset = release.assets.x86_64;
  const cacheDirectory = options.cacheDirectory ?? CACHE_DIRECTORY;
  const cached = join(cacheDirectory, asset.sha256, spec.binary);
  // Hashed again before each use: a binary changed since its verified download is downloaded again.
  if (existsSync(cached) && !matchesRecordedHash(cached)) rmSync(join(cacheDirectory, asset.sha256), { recursive: true, force: true });
  if (!existsSync(cached)) {
    const url = releaseAssetUrl(release.releaseBaseUrl, release.version, asset.name);
    try {
      await download(options.fetch ?? globalThis.fetch, url, asset.sha256, spec.binary, cached);
    } catch (error) {
      throw new Error(missingBinaryMessage(spec, `downloading ${url} failed: ${(error as Error).message}`, lockPath), { cause: error });
    }
  }
  checkVersion(spec, cached, expectedVersion, `${cached} (from ${asset.name})`);
  return { path: cached, source: `${asset.name} from ${lockPath}` };
}

function missingBinaryMessage(spec: BinarySpec, why: string, lockPath: string): string {
  return [
    `No ${spec.tool} binary for tests/e2e: ${spec.variable} is not set and ${why}.`,
    `Set ${spec.variable} to an x86_64 Linux ${spec.binary} binary (.ci/run uses ../shared/bin/${spec.sharedName} when it exists),`,
    `or commit ${lockPath} (npx nativelink-aws images lock --out ${lockPath}) and let the suite download the locked release.`,
  ].join("\n");
}

function checkExecutable(path: string, what: string): void {
  try {
    accessSync(path, constants.X_OK);
    if (!statSync(path).isFile()) throw new Error("not a file");
  } catch {
    throw new Error(`${what} is not an executable file`);
  }
}

function checkVersion(spec: BinarySpec, path: string, expected: string, what: string): void {
  const result = spawnSync(path, ["--version"], { encoding: "utf8", timeout: 10_000 });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim();
  if (result.status !== 0 || !spec.versionOutput(expected).test(output)) {
    throw new Error(`${what}: \`--version\` printed "${output || result.error?.message}", expected version ${expected}`);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const sha256Of = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
/** Beside each unpacked binary: its SHA-256 when it was unpacked from the verified tarball. */
const hashRecord = (binary: string) => `${binary}.sha256`;

function matchesRecordedHash(binary: string): boolean {
  const record = hashRecord(binary);
  return existsSync(record) && readFileSync(record, "utf8").trim() === sha256Of(binary);
}

/** Downloads a release tarball, compares its SHA-256 with the lock, and unpacks `binary` to `destination`. */
async function download(fetcher: typeof globalThis.fetch, url: string, sha256: string, binary: string, destination: string): Promise<void> {
  const response = await fetcher(url, { redirect: "follow" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  const actual = createHash("sha256").update(bytes).digest("hex");
  if (actual !== sha256) throw new Error(`SHA-256 ${actual} differs from the lock's ${sha256}; not unpacking it`);
  const parent = join(destination, "../..");
  mkdirSync(parent, { recursive: true });
  const work = mkdtempSync(join(parent, ".download-"));
  try {
    writeFileSync(join(work, "release.tar.gz"), bytes);
    const unpacked = spawnSync("tar", ["-xzf", join(work, "release.tar.gz"), "-C", work, binary], { encoding: "utf8" });
    if (unpacked.status !== 0) throw new Error(`tar could not unpack ${binary}: ${unpacked.stderr}`);
    mkdirSync(join(destination, ".."), { recursive: true });
    writeFileSync(join(work, "binary.sha256"), `${sha256Of(join(work, binary))}\n`);
    // Another run may have unpacked it meanwhile: the renames replace it with the same bytes.
    renameSync(join(work, binary), destination);
    renameSync(join(work, "binary.sha256"), hashRecord(destination));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
