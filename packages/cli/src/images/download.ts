// Downloads release files as streams: each chunk is hashed (and fed to signature checks) and dropped, so memory stays
// bounded whatever the asset's size. A server that sends nothing for the timeout is given up on.
import { createHash, createVerify, type KeyObject } from "node:crypto";
import { RELEASE_ARCHITECTURES, type LockedAsset, type LockedRelease, type ReleaseArchitecture } from "@nativelink-aws/nativelink-config";
import { CliError, ExitCode, InterruptedError } from "../errors.js";
import { perArchitecture, type ReleaseFile } from "./release-plan.js";

/** A release file could not be downloaded (HTTP error, timeout, connection): exit 3, the network code. */
export class ReleaseDownloadError extends CliError {
  constructor(message: string) {
    super(`${message}\nNothing was written.`, ExitCode.aws);
  }
}

export interface DownloadOptions {
  /** Give up when the server sends nothing (connection, headers, next chunk) for this long. */
  readonly idleTimeoutMs: number;
  /** Refuse a file larger than this many bytes. */
  readonly maxBytes: number;
  /** Aborts the download (Ctrl-C, embedding). */
  readonly signal?: AbortSignal;
  /** Called after each chunk with the bytes received so far and the size the server announced. */
  readonly onProgress?: (received: number, total: number | undefined) => void;
}

/** A signature over a whole file, checked while the file streams by (ECDSA or RSA over SHA-256, DER). */
export interface SignatureTap {
  readonly publicKey: KeyObject;
  readonly signature: Buffer;
}

export interface DownloadedAsset {
  readonly file: ReleaseFile;
  readonly size: number;
  /** SHA-256 of the bytes, lowercase hex. */
  readonly sha256: string;
  /** Whether `tap` (one of those given to downloadAsset) verified over the bytes. */
  signatureValid(tap: SignatureTap): boolean;
}

/** A release that verified: what the lock records, and one line for the summary. */
export interface VerifiedRelease {
  readonly locked: LockedRelease;
  readonly summary: string;
}

/** The lock file's record of a release whose assets verified. */
export function lockedRelease(
  release: { readonly version: string; readonly releaseBaseUrl: string },
  assets: Readonly<Record<ReleaseArchitecture, DownloadedAsset>>,
  verifiedBy: string[],
): LockedRelease {
  const locked = (asset: DownloadedAsset): LockedAsset => ({ name: asset.file.name, sha256: asset.sha256, size: asset.size });
  const lockedAssets = perArchitecture((architecture) => locked(assets[architecture]));
  return { version: release.version, releaseBaseUrl: release.releaseBaseUrl, assets: lockedAssets, verifiedBy };
}

/** "A and B", the assets' file names for the record. */
export function assetNames(assets: Readonly<Record<ReleaseArchitecture, DownloadedAsset>>): string {
  return RELEASE_ARCHITECTURES.map((architecture) => assets[architecture].file.name).join(" and ");
}

function describeCause(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code && !cause.message.includes(code) ? `${cause.message} (${code})` : cause.message;
  }
  return String(cause);
}

/** GETs `url` and hands each chunk to `onChunk`; returns the size. */
export async function streamUrl(url: string, options: DownloadOptions, onChunk: (chunk: Buffer) => void): Promise<number> {
  const idle = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, idle.signal]) : idle.signal;
  let timer: NodeJS.Timeout | undefined;
  const restartTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(), options.idleTimeoutMs);
  };
  const failure = (error: unknown): CliError => {
    if (error instanceof CliError) return error;
    if (options.signal?.aborted) return new InterruptedError(`interrupted while downloading ${url}; nothing was written`);
    if (idle.signal.aborted) {
      const seconds = options.idleTimeoutMs / 1000;
      return new ReleaseDownloadError(`GET ${url}: the server sent nothing for ${seconds} s; check the network or the mirror, or raise --timeout-seconds`);
    }
    return new ReleaseDownloadError(`GET ${url}: ${describeCause(error)}`);
  };
  restartTimer();
  try {
    // identity: the bytes as published; a transparently decompressed .tar.gz would hash differently.
    const response = await fetch(url, { signal, redirect: "follow", headers: { "accept-encoding": "identity", "user-agent": "nativelink-aws images lock" } });
    if (!response.ok) {
      await response.body?.cancel();
      const hint = response.status === 404 ? "; check the version, and that a mirror keeps the <base>/v<version>/<file> layout" : "";
      throw new ReleaseDownloadError(`GET ${url}: HTTP ${response.status} ${response.statusText}${hint}`);
    }
    const announced = response.headers.get("content-length");
    const total = announced === null ? undefined : Number(announced);
    const tooLarge = () => new ReleaseDownloadError(`GET ${url}: larger than ${options.maxBytes} bytes; refusing (not a release file of the expected kind)`);
    if (total !== undefined && total > options.maxBytes) {
      await response.body?.cancel();
      throw tooLarge();
    }
    let received = 0;
    for await (const chunk of response.body ?? []) {
      restartTimer();
      received += chunk.byteLength;
      if (received > options.maxBytes) throw tooLarge();
      onChunk(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      options.onProgress?.(received, total);
    }
    return received;
  } catch (error) {
    throw failure(error);
  } finally {
    clearTimeout(timer);
  }
}

/** A small file (signature, certificate, checksum, bundle), kept in memory. */
export async function downloadSmallFile(file: ReleaseFile, options: DownloadOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await streamUrl(file.url, options, (chunk) => chunks.push(Buffer.from(chunk)));
  return Buffer.concat(chunks);
}

/** A release asset: hashed and signature-checked as it streams, never held whole. */
export async function downloadAsset(file: ReleaseFile, options: DownloadOptions, taps: readonly SignatureTap[]): Promise<DownloadedAsset> {
  const hash = createHash("sha256");
  const verifiers = taps.map((tap) => ({ tap, verifier: createVerify("sha256") }));
  const size = await streamUrl(file.url, options, (chunk) => {
    hash.update(chunk);
    for (const { verifier } of verifiers) verifier.update(chunk);
  });
  const valid = new Map(verifiers.map(({ tap, verifier }) => [tap, verifies(() => verifier.verify(tap.publicKey, tap.signature))]));
  return { file, size, sha256: hash.digest("hex"), signatureValid: (tap) => valid.get(tap) ?? false };
}

function verifies(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    // A malformed signature or a key of the wrong kind is a signature that does not verify.
    return false;
  }
}
