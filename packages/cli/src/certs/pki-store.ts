// The PKI directory on disk: created all at once, read with its modes checked, changed one atomic rename at a time.
import { randomBytes } from "node:crypto";
import { lstat, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { RefusedError, UsageError } from "../errors.js";
import type { Authority } from "@nativelink-aws/nativelink-config";
import { authorityPaths, PKI_INDEX_FILE } from "./layout.js";
import { parsePkiIndex, serializePkiIndex, type PkiIndex } from "./pki-index.js";
import { keyMatchesCertificate, privateKeyFromPem, readCertificate, type Key } from "./x509.js";

/** Directories that hold private keys. */
export const PRIVATE_DIR_MODE = 0o700;
/** Private keys. */
export const PRIVATE_FILE_MODE = 0o600;
/** Certificates, CRLs, the index: public, but inside a 0700 directory. */
export const PUBLIC_FILE_MODE = 0o644;

export interface FileToWrite {
  readonly path: string;
  readonly content: string;
  readonly mode: number;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** The nearest directory at or above `dir` that holds `.git`, if any. */
export async function enclosingGitRepository(dir: string): Promise<string | undefined> {
  for (let current = dir; ; current = dirname(current)) {
    if (await exists(join(current, ".git"))) return current;
    if (dirname(current) === current) return undefined;
  }
}

/** Whether a PKI already lives at `dir` (anything in it counts: never mix a new PKI into an old one). */
export async function pkiPresent(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/**
 * Creates the PKI directory with `files` (paths relative to it) in one step: everything is written into a sibling
 * temporary directory, which is then renamed into place, so a failure leaves no half PKI behind.
 */
export async function createPkiDirectory(dir: string, files: readonly FileToWrite[]): Promise<void> {
  await mkdir(dirname(dir), { recursive: true, mode: PRIVATE_DIR_MODE });
  const staging = await mkdtemp(join(dirname(dir), `.${basename(dir)}.staging-`));
  try {
    for (const file of files) {
      const target = join(staging, file.path);
      await mkdir(dirname(target), { recursive: true, mode: PRIVATE_DIR_MODE });
      await writeFile(target, file.content, { mode: file.mode, flag: "wx" });
    }
    // mkdtemp makes 0700 already; rename replaces `dir` only if it is missing or empty.
    await rename(staging, dir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Replaces one file by writing a temporary sibling and renaming it over: readers see the old or the new, never half. */
export async function replaceFile(file: FileToWrite): Promise<void> {
  const temporary = join(dirname(file.path), `.${basename(file.path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temporary, file.content, { mode: file.mode, flag: "wx" });
    await rename(temporary, file.path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Writes new files only: refuses (exit 4) when any exists, and removes the ones it wrote if a later one fails.
 * The directory is created 0700 when missing, since it receives a private key.
 */
export async function writeNewFiles(files: readonly FileToWrite[], cwd: string, fix: string): Promise<void> {
  const existing: string[] = [];
  for (const file of files) if (await exists(file.path)) existing.push(relative(cwd, file.path) || file.path);
  if (existing.length > 0) throw new RefusedError(`not overwriting ${existing.join(", ")}: ${fix}`);
  const written: string[] = [];
  try {
    for (const file of files) {
      await mkdir(dirname(file.path), { recursive: true, mode: PRIVATE_DIR_MODE });
      await writeFile(file.path, file.content, { mode: file.mode, flag: "wx" });
      written.push(file.path);
    }
  } catch (error) {
    for (const path of written) await unlink(path).catch(() => undefined);
    throw error;
  }
}

export interface LoadedPki {
  readonly dir: string;
  readonly index: PkiIndex;
}

/** Reads the index of the PKI at `dir`, refusing a directory others can read, or one of another deployment. */
export async function loadPki(dir: string, deployment: string): Promise<LoadedPki> {
  const indexPath = join(dir, PKI_INDEX_FILE);
  let text: string;
  try {
    text = await readFile(indexPath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    throw new UsageError(`no PKI at ${dir} (no ${PKI_INDEX_FILE}): run nativelink-aws certs init --deployment ${deployment}, or give --pki-dir where it is`);
  }
  await refuseOpenMode(dir, "directory", `chmod 700 ${dir}`);
  const index = parsePkiIndex(text, indexPath);
  if (index.deployment !== deployment) {
    throw new UsageError(`--deployment: the PKI at ${dir} belongs to deployment ${index.deployment}, not ${deployment}; pass --deployment ${index.deployment}`);
  }
  return { dir, index };
}

export interface LoadedAuthority {
  readonly certificatePem: string;
  readonly key: Key;
}

/** A CA's certificate and key, checked against each other and against the index. */
export async function loadAuthority(pki: LoadedPki, authority: Authority): Promise<LoadedAuthority> {
  const paths = authorityPaths(pki.dir, authority);
  const keyPem = await readRequired(paths.key, `the ${authority} CA's private key is missing, so it cannot sign`);
  await refuseOpenMode(paths.key, "private key", `chmod 600 ${paths.key}`);
  const certificatePem = await readRequired(paths.certificate, `the ${authority} CA's certificate is missing`);
  const certificate = readCertificate(certificatePem, paths.certificate);
  if (certificate.sha256 !== pki.index.authorities[authority].sha256) {
    throw new UsageError(
      `${paths.certificate} is not the ${authority} CA recorded in ${PKI_INDEX_FILE} (fingerprint differs); restore the PKI directory from your backup`,
    );
  }
  const key = await privateKeyFromPem(keyPem, paths.key);
  if (!(await keyMatchesCertificate(key, certificatePem))) {
    throw new UsageError(`${paths.key} is not the key of ${paths.certificate}; restore the PKI directory from your backup`);
  }
  return { certificatePem, key };
}

async function readRequired(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    throw new UsageError(
      `${path}: ${what}. Restore it from your backup of the PKI directory; without a backup, ` +
        `create new CAs with certs init --pki-dir NEW_DIR and re-issue every certificate`,
    );
  }
}

/** Like ssh with a private key: group or other access is a refusal, with the chmod that fixes it. */
async function refuseOpenMode(path: string, what: string, fix: string): Promise<void> {
  // Windows has no such mode bits (stat reports 0666); its ACLs are the user profile's.
  if (process.platform === "win32") return;
  const mode = (await stat(path)).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new RefusedError(`${path}: this ${what} is readable by others (mode ${mode.toString(8).padStart(4, "0")}); run \`${fix}\` first`);
  }
}

export async function saveIndex(pki: LoadedPki, index: PkiIndex): Promise<void> {
  await replaceFile({ path: join(pki.dir, PKI_INDEX_FILE), content: serializePkiIndex(index), mode: PUBLIC_FILE_MODE });
}
