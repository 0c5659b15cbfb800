// The act of `images lock` before writing: download the signature files, then the four assets (hashed and
// signature-checked as they stream), then verify everything. Returns the two locked releases, or throws.
import { RELEASE_ARCHITECTURES } from "@nativelink-aws/nativelink-config";
import { downloadAsset, downloadSmallFile, type DownloadedAsset, type DownloadOptions, type SignatureTap, type VerifiedRelease } from "./download.js";
import type { DownloadProgress } from "./progress.js";
import { perArchitecture, type ReleaseFile, type ReleasePlan } from "./release-plan.js";
import type { LoadedTrustedRoot } from "./trusted-root.js";
import { parseNativeLinkSignatures, verifyNativeLinkRelease } from "./verify-nativelink.js";
import { parseOtelcolSignatures, verifyOtelcolRelease } from "./verify-otelcol.js";

/** Signatures, certificates, checksums and bundles are kilobytes; anything near this is not one. */
const MAX_SIGNATURE_FILE_BYTES = 4 * 1024 * 1024;
/** otelcol-contrib's tarballs are the largest, around 100 MiB (2026). */
const MAX_ASSET_BYTES = 1024 * 1024 * 1024;

export interface VerifyReleasesOptions {
  readonly plan: ReleasePlan;
  readonly trust: LoadedTrustedRoot;
  readonly idleTimeoutMs: number;
  readonly signal?: AbortSignal;
  readonly progress: DownloadProgress;
}

export interface VerifiedReleases {
  readonly nativelink: VerifiedRelease;
  readonly otelcol: VerifiedRelease;
}

/** Runs every task; the first failure aborts the others and is the one thrown. */
async function allOrNothing<T>(outer: AbortSignal | undefined, tasks: readonly ((signal: AbortSignal) => Promise<T>)[]): Promise<T[]> {
  const controller = new AbortController();
  const signal = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;
  let first: { error: unknown } | undefined;
  const results = await Promise.allSettled(
    tasks.map(async (task) => {
      try {
        return await task(signal);
      } catch (error) {
        first ??= { error };
        controller.abort();
        throw error;
      }
    }),
  );
  if (first !== undefined) throw first.error;
  return results.map((result) => (result as PromiseFulfilledResult<T>).value);
}

export async function verifyReleases(options: VerifyReleasesOptions): Promise<VerifiedReleases> {
  const { plan, trust, idleTimeoutMs } = options;
  const nl = plan.nativelink;
  const otel = plan.otelcol;
  const signatureFiles = [
    nl.provenance,
    ...RELEASE_ARCHITECTURES.flatMap((architecture) => [nl.assets[architecture].signature, nl.assets[architecture].certificate]),
    ...RELEASE_ARCHITECTURES.flatMap((architecture) => [otel.assets[architecture].bundle, otel.assets[architecture].checksum]),
  ];
  const fetched = new Map(
    await allOrNothing(
      options.signal,
      signatureFiles.map((file) => async (signal) => {
        return [file.url, await downloadSmallFile(file, { idleTimeoutMs, maxBytes: MAX_SIGNATURE_FILE_BYTES, signal })] as const;
      }),
    ),
  );
  const bytes = (file: ReleaseFile) => fetched.get(file.url)!;
  const nativelinkSignatures = parseNativeLinkSignatures(nl, {
    provenance: bytes(nl.provenance),
    assets: perArchitecture((architecture) => {
      const files = nl.assets[architecture];
      return { signature: bytes(files.signature), certificate: bytes(files.certificate) };
    }),
  });
  const otelcolSignatures = parseOtelcolSignatures(otel, {
    assets: perArchitecture((architecture) => ({ bundle: bytes(otel.assets[architecture].bundle), checksum: bytes(otel.assets[architecture].checksum) })),
  });

  const toDownload: { file: ReleaseFile; taps: readonly SignatureTap[] }[] = [
    ...RELEASE_ARCHITECTURES.map((architecture) => ({ file: nl.assets[architecture].tarball, taps: [nativelinkSignatures.assets[architecture].tap] })),
    ...RELEASE_ARCHITECTURES.map((architecture) => ({ file: otel.assets[architecture].tarball, taps: [otelcolSignatures[architecture].tap] })),
  ];
  let downloaded: Map<string, DownloadedAsset>;
  try {
    downloaded = new Map(
      await allOrNothing(
        options.signal,
        toDownload.map(({ file, taps }) => async (signal) => {
          const download: DownloadOptions = { idleTimeoutMs, maxBytes: MAX_ASSET_BYTES, signal, onProgress: options.progress.track(file.name) };
          return [file.url, await downloadAsset(file, download, taps)] as const;
        }),
      ),
    );
  } finally {
    options.progress.stop();
  }
  const asset = (file: ReleaseFile) => downloaded.get(file.url)!;
  return {
    nativelink: verifyNativeLinkRelease(
      nl,
      nativelinkSignatures,
      perArchitecture((architecture) => asset(nl.assets[architecture].tarball)),
      trust,
    ),
    otelcol: verifyOtelcolRelease(
      otel,
      otelcolSignatures,
      perArchitecture((architecture) => asset(otel.assets[architecture].tarball)),
      trust,
    ),
  };
}
