// cosign v2 `sign-blob` output (`<asset>.sig`: base64 DER signature; `<asset>.pem`: base64 of the PEM certificate),
// checked offline: the signature over the asset, the certificate chained to the trusted root's Fulcio CA at the
// certificate's start (as cosign does), and its identity. No transparency log is consulted: see the README.
import { createPublicKey } from "node:crypto";
import { X509Certificate } from "@sigstore/core";
import type { TrustMaterial } from "@sigstore/verify";
import type { DownloadedAsset, SignatureTap } from "./download.js";
import type { NativeLinkAssetPlan } from "./release-plan.js";
import { ReleaseVerificationError } from "./signer-identity.js";

export interface CosignBlobSignature {
  readonly files: NativeLinkAssetPlan;
  readonly certificate: X509Certificate;
  readonly tap: SignatureTap;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The PEM text, whether the file holds it as is or base64-encoded (cosign's default). */
function pemText(bytes: Buffer): string {
  const text = bytes.toString("utf8").trim();
  if (text.startsWith("-----BEGIN")) return text;
  return BASE64.test(text) ? Buffer.from(text, "base64").toString("utf8").trim() : text;
}

export function parseCosignBlobSignature(signature: Buffer, certificate: Buffer, files: NativeLinkAssetPlan): CosignBlobSignature {
  const signatureText = signature.toString("utf8").trim();
  if (!BASE64.test(signatureText)) throw new ReleaseVerificationError(`${files.signature.url}: not a base64 signature`);
  const pem = pemText(certificate);
  let parsed: X509Certificate;
  try {
    if (!pem.startsWith("-----BEGIN CERTIFICATE-----")) throw new Error("no PEM certificate");
    parsed = X509Certificate.parse(pem);
  } catch (error) {
    throw new ReleaseVerificationError(`${files.certificate.url}: not a certificate (${(error as Error).message})`);
  }
  return {
    files,
    certificate: parsed,
    tap: { publicKey: createPublicKey({ key: parsed.publicKey, format: "der", type: "spki" }), signature: Buffer.from(signatureText, "base64") },
  };
}

/** Whether `leaf` chains to one of the trusted Fulcio CAs, every certificate valid at `at`. */
function chainsToFulcio(leaf: X509Certificate, trust: TrustMaterial, at: Date): boolean {
  return trust.certificateAuthorities.some((authority) => {
    if (at < authority.validFor.start || at > authority.validFor.end) return false;
    const path = [leaf, ...authority.certChain];
    return path.every((certificate, index) => {
      const issuer = path[index + 1] ?? certificate; // the chain ends with a self-signed root
      const isIssuedBy = certificate.issuer.equals(issuer.subject) && certificate.verify(issuer);
      return isIssuedBy && certificate.validForDate(at) && (index === 0 || certificate.isCA);
    });
  });
}

/** @throws ReleaseVerificationError when the signature or the certificate chain does not verify. */
export function verifyCosignBlobSignature(parsed: CosignBlobSignature, asset: DownloadedAsset, trust: TrustMaterial): void {
  if (!asset.signatureValid(parsed.tap)) {
    throw new ReleaseVerificationError(
      `${parsed.files.signature.url}: the signature does not verify over ${asset.file.url} with the key of ${parsed.files.certificate.name}`,
    );
  }
  if (!chainsToFulcio(parsed.certificate, trust, parsed.certificate.notBefore)) {
    throw new ReleaseVerificationError(`${parsed.files.certificate.url}: the certificate does not chain to a Fulcio CA of the trusted root`);
  }
}
