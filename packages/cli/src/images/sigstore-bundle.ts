// Sigstore bundles (NativeLink's SLSA provenance, otelcol-contrib's .sigstore.json) verified with @sigstore/verify:
// certificate chain to the trusted root's Fulcio CA at the logged time, transparency log inclusion (proof and signed
// entry timestamp) against its Rekor keys, the log entry's body matching the signature, and the signature itself.
import { createPublicKey } from "node:crypto";
import { bundleFromJSON, type Bundle } from "@sigstore/bundle";
import { X509Certificate } from "@sigstore/core";
import { HashAlgorithm } from "@sigstore/protobuf-specs";
import { toSignedEntity, Verifier, type SignedEntity } from "@sigstore/verify";
import type { DownloadedAsset, SignatureTap } from "./download.js";
import type { ReleaseFile } from "./release-plan.js";
import { ReleaseVerificationError } from "./signer-identity.js";
import type { LoadedTrustedRoot } from "./trusted-root.js";

export interface ParsedBundle {
  readonly file: ReleaseFile;
  readonly bundle: Bundle;
  /** The signing (leaf) certificate. */
  readonly certificate: X509Certificate;
}

/** Parses one Sigstore bundle (JSON text, or `.intoto.jsonl` with one bundle on its only line). */
export function parseBundle(bytes: Buffer, file: ReleaseFile): ParsedBundle {
  const lines = bytes
    .toString("utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
  if (lines.length !== 1) throw new ReleaseVerificationError(`${file.url}: expected one Sigstore bundle, found ${lines.length} lines`);
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(JSON.parse(lines[0]!));
  } catch (error) {
    throw new ReleaseVerificationError(`${file.url}: not a Sigstore bundle (${(error as Error).message})`);
  }
  const material = bundle.verificationMaterial.content;
  const raw =
    material.$case === "certificate"
      ? material.certificate.rawBytes
      : material.$case === "x509CertificateChain"
        ? material.x509CertificateChain.certificates[0]?.rawBytes
        : undefined;
  if (raw === undefined) throw new ReleaseVerificationError(`${file.url}: the bundle holds no signing certificate (keyless signatures carry one)`);
  return { file, bundle, certificate: X509Certificate.parse(Buffer.from(raw)) };
}

/** For a bundle signing an artifact's bytes: the signature to check while the artifact downloads. */
export function messageSignatureTap(parsed: ParsedBundle): SignatureTap {
  const { content } = parsed.bundle;
  if (content.$case !== "messageSignature") {
    throw new ReleaseVerificationError(`${parsed.file.url}: expected a signature over the file, found ${content.$case}`);
  }
  if (content.messageSignature.messageDigest?.algorithm !== HashAlgorithm.SHA2_256) {
    throw new ReleaseVerificationError(`${parsed.file.url}: the signed digest is not SHA-256`);
  }
  return {
    publicKey: createPublicKey({ key: parsed.certificate.publicKey, format: "der", type: "spki" }),
    signature: Buffer.from(content.messageSignature.signature),
  };
}

function describeFailure(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return `${typeof code === "string" ? `${code}: ` : ""}${(error as Error).message}`;
}

/**
 * Runs @sigstore/verify over the bundle. For a signature over an artifact, `artifact` is the downloaded asset and the
 * tap its signature was checked with while streaming: the verifier's own signature step then asks for that result.
 * @throws ReleaseVerificationError naming the file and what failed.
 */
export function verifyBundle(parsed: ParsedBundle, trust: LoadedTrustedRoot, artifact?: { asset: DownloadedAsset; tap: SignatureTap }): void {
  const verifier = new Verifier(trust.material, {
    tlogThreshold: 1,
    // A trusted root without CT logs (a private Sigstore, the tests') cannot vouch for SCTs; the public-good one can.
    ctlogThreshold: trust.material.ctlogs.length > 0 ? 1 : 0,
    timestampThreshold: 1,
  });
  let entity: SignedEntity;
  try {
    entity = toSignedEntity(parsed.bundle, Buffer.alloc(0));
  } catch (error) {
    throw new ReleaseVerificationError(`${parsed.file.url}: not a usable Sigstore bundle (${(error as Error).message})`);
  }
  if (artifact !== undefined) {
    const content = entity.signature;
    if (!content.compareDigest(Buffer.from(artifact.asset.sha256, "hex"))) {
      throw new ReleaseVerificationError(`${parsed.file.url}: signs a different SHA-256 than ${artifact.asset.file.url} has (${artifact.asset.sha256})`);
    }
    const { tap, asset } = artifact;
    entity = {
      ...entity,
      signature: {
        signature: content.signature,
        compareSignature: (signature) => content.compareSignature(signature),
        compareDigest: (digest) => content.compareDigest(digest),
        verifySignature: (key) => key.equals(tap.publicKey) && asset.signatureValid(tap),
      },
    };
  }
  try {
    verifier.verify(entity);
  } catch (error) {
    throw new ReleaseVerificationError(`${parsed.file.url}: does not verify against ${trust.description}: ${describeFailure(error)}`);
  }
}

/** "transparency log index N, logged 2026-…", for the record. */
export function transparencyLogRecord(parsed: ParsedBundle): string {
  const entry = parsed.bundle.verificationMaterial.tlogEntries[0];
  if (entry === undefined) return "no transparency log entry";
  // Rekor v2 entries carry no integrated time (a timestamp authority vouches for the time instead).
  const seconds = Number(entry.integratedTime);
  return `transparency log index ${entry.logIndex}${seconds > 0 ? `, logged ${new Date(seconds * 1000).toISOString()}` : ""}`;
}
