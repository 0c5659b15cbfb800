// otelcol-contrib (v0.158.0 and later): each tarball's `.sigstore.json` (cosign v3 bundle, signed by the releases
// repository's base-release workflow at the tag) must verify over the tarball's bytes, and its `.sha256` must agree.
import { RELEASE_ARCHITECTURES, type ReleaseArchitecture } from "@nativelink-aws/nativelink-config";
import { assetNames, lockedRelease, type DownloadedAsset, type SignatureTap, type VerifiedRelease } from "./download.js";
import { perArchitecture, type ReleasePlan } from "./release-plan.js";
import { messageSignatureTap, parseBundle, transparencyLogRecord, verifyBundle, type ParsedBundle } from "./sigstore-bundle.js";
import { assertSigner, ReleaseVerificationError } from "./signer-identity.js";
import type { LoadedTrustedRoot } from "./trusted-root.js";

type OtelcolPlan = ReleasePlan["otelcol"];

export interface OtelcolAssetSignature {
  readonly bundle: ParsedBundle;
  readonly tap: SignatureTap;
  /** From `<asset>.sha256`, lowercase hex. */
  readonly publishedSha256: string;
}

export type OtelcolSignatures = Readonly<Record<ReleaseArchitecture, OtelcolAssetSignature>>;

export interface OtelcolSignatureFiles {
  readonly assets: Readonly<Record<ReleaseArchitecture, { readonly bundle: Buffer; readonly checksum: Buffer }>>;
}

/** goreleaser's split checksum is the bare hex digest; the `<hex>  <name>` line of a checksums file is accepted too. */
const CHECKSUM = /^([0-9a-fA-F]{64})(?:\s+\*?(\S+))?\s*$/;

export function parseOtelcolSignatures(plan: OtelcolPlan, files: OtelcolSignatureFiles): OtelcolSignatures {
  return perArchitecture((architecture): OtelcolAssetSignature => {
    const planned = plan.assets[architecture];
    const checksum = CHECKSUM.exec(files.assets[architecture].checksum.toString("utf8"));
    if (checksum === null || (checksum[2] !== undefined && checksum[2] !== planned.tarball.name)) {
      throw new ReleaseVerificationError(`${planned.checksum.url}: not the SHA-256 of ${planned.tarball.name} (expected 64 hex digits)`);
    }
    const bundle = parseBundle(files.assets[architecture].bundle, planned.bundle);
    return { bundle, tap: messageSignatureTap(bundle), publishedSha256: checksum[1]!.toLowerCase() };
  });
}

/** Verifies everything and returns the locked release. @throws ReleaseVerificationError */
export function verifyOtelcolRelease(
  plan: OtelcolPlan,
  signatures: OtelcolSignatures,
  assets: Readonly<Record<ReleaseArchitecture, DownloadedAsset>>,
  trust: LoadedTrustedRoot,
): VerifiedRelease {
  for (const architecture of RELEASE_ARCHITECTURES) {
    const { bundle, tap, publishedSha256 } = signatures[architecture];
    const asset = assets[architecture];
    verifyBundle(bundle, trust, { asset, tap });
    assertSigner(bundle.certificate, plan.assetSigner, `Sigstore bundle ${bundle.file.url}`);
    if (publishedSha256 !== asset.sha256) {
      const checksum = plan.assets[architecture].checksum.url;
      throw new ReleaseVerificationError(`${checksum}: says ${publishedSha256}, but ${asset.file.url} has SHA-256 ${asset.sha256}`);
    }
  }
  const names = assetNames(assets);
  const logs = RELEASE_ARCHITECTURES.map((architecture) => transparencyLogRecord(signatures[architecture].bundle)).join("; ");
  const summary =
    `Sigstore bundles from opentelemetry-collector-releases base-release.yaml@${plan.assetSigner.sourceRef} ` + "sign both tarballs; the .sha256 files agree";
  const locked = lockedRelease(plan, assets, [
    `Sigstore bundle (<asset>.sigstore.json) of ${names} verified against ${trust.description} (${logs}); each signs its asset's bytes and was ` +
      `signed by ${String(plan.assetSigner.subjectAlternativeName)} for ${plan.assetSigner.sourceRepository} at ${plan.assetSigner.sourceRef} ` +
      `(issuer ${plan.assetSigner.issuer})`,
    `the published <asset>.sha256 of ${names} equal these SHA-256 digests`,
  ]);
  return { locked, summary };
}
