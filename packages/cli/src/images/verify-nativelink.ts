// NativeLink: the SLSA provenance (one Sigstore bundle of an in-toto statement, signed by slsa-github-generator for
// NativeLink's release workflow at the tag) must list each tarball's SHA-256 under its name; each tarball's cosign
// `.sig`/`.pem` is checked as well.
import { RELEASE_ARCHITECTURES, type ReleaseArchitecture } from "@nativelink-aws/nativelink-config";
import { z } from "zod";
import { parseCosignBlobSignature, verifyCosignBlobSignature, type CosignBlobSignature } from "./cosign-blob.js";
import { assetNames, lockedRelease, type DownloadedAsset, type VerifiedRelease } from "./download.js";
import { perArchitecture, type ReleasePlan } from "./release-plan.js";
import { parseBundle, transparencyLogRecord, verifyBundle, type ParsedBundle } from "./sigstore-bundle.js";
import { assertSigner, ReleaseVerificationError } from "./signer-identity.js";
import type { LoadedTrustedRoot } from "./trusted-root.js";

type NativeLinkPlan = ReleasePlan["nativelink"];

export interface NativeLinkSignatures {
  readonly provenance: ParsedBundle;
  readonly assets: Readonly<Record<ReleaseArchitecture, CosignBlobSignature>>;
}

export interface NativeLinkSignatureFiles {
  readonly provenance: Buffer;
  readonly assets: Readonly<Record<ReleaseArchitecture, { readonly signature: Buffer; readonly certificate: Buffer }>>;
}

const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
const inTotoStatement = z.object({
  _type: z.enum(["https://in-toto.io/Statement/v0.1", "https://in-toto.io/Statement/v1"]),
  predicateType: z.string().startsWith("https://slsa.dev/provenance/", { error: "is not SLSA provenance" }),
  subject: z.array(z.object({ name: z.string(), digest: z.record(z.string(), z.string()) })).min(1),
});

export function parseNativeLinkSignatures(plan: NativeLinkPlan, files: NativeLinkSignatureFiles): NativeLinkSignatures {
  const provenance = parseBundle(files.provenance, plan.provenance);
  if (provenance.bundle.content.$case !== "dsseEnvelope") {
    throw new ReleaseVerificationError(`${plan.provenance.url}: expected a signed in-toto statement (DSSE)`);
  }
  const assets = perArchitecture((architecture) => {
    const { signature, certificate } = files.assets[architecture];
    return parseCosignBlobSignature(signature, certificate, plan.assets[architecture]);
  });
  return { provenance, assets };
}

function provenanceSubjects(signatures: NativeLinkSignatures): z.output<typeof inTotoStatement>["subject"] {
  const { provenance } = signatures;
  if (provenance.bundle.content.$case !== "dsseEnvelope") {
    throw new ReleaseVerificationError(`${provenance.file.url}: expected a signed in-toto statement (DSSE)`);
  }
  const envelope = provenance.bundle.content.dsseEnvelope;
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new ReleaseVerificationError(`${provenance.file.url}: payload type ${envelope.payloadType}, expected ${IN_TOTO_PAYLOAD_TYPE}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(envelope.payload).toString("utf8"));
  } catch (error) {
    throw new ReleaseVerificationError(`${provenance.file.url}: the signed statement is not JSON (${(error as Error).message})`);
  }
  const statement = inTotoStatement.safeParse(json);
  if (!statement.success) {
    const problems = statement.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ");
    throw new ReleaseVerificationError(`${provenance.file.url}: not an in-toto SLSA provenance statement (${problems})`);
  }
  return statement.data.subject;
}

/** Verifies everything and returns the locked release. @throws ReleaseVerificationError */
export function verifyNativeLinkRelease(
  plan: NativeLinkPlan,
  signatures: NativeLinkSignatures,
  assets: Readonly<Record<ReleaseArchitecture, DownloadedAsset>>,
  trust: LoadedTrustedRoot,
): VerifiedRelease {
  verifyBundle(signatures.provenance, trust);
  const builder = assertSigner(signatures.provenance.certificate, plan.provenanceSigner, `SLSA provenance ${plan.provenance.url}`);
  const subjects = provenanceSubjects(signatures);
  for (const architecture of RELEASE_ARCHITECTURES) {
    const asset = assets[architecture];
    const listed = subjects.filter((subject) => subject.name === asset.file.name).map((subject) => subject.digest.sha256?.toLowerCase());
    if (listed.length === 0) throw new ReleaseVerificationError(`${plan.provenance.url}: lists no subject named ${asset.file.name}`);
    if (!listed.includes(asset.sha256)) {
      throw new ReleaseVerificationError(
        `${asset.file.url}: SHA-256 ${asset.sha256}, but the SLSA provenance lists ${listed.join(", ")} for it: the asset is not the one built and signed`,
      );
    }
  }
  for (const architecture of RELEASE_ARCHITECTURES) {
    verifyCosignBlobSignature(signatures.assets[architecture], assets[architecture], trust.material);
    assertSigner(signatures.assets[architecture].certificate, plan.assetSigner, `cosign certificate ${plan.assets[architecture].certificate.url}`);
  }
  const names = assetNames(assets);
  const generator = builder.subjectAlternativeName?.split("@refs/tags/")[1] ?? "";
  const summary =
    `SLSA provenance from slsa-github-generator ${generator} for TraceMachina/nativelink@${plan.provenanceSigner.sourceRef} ` +
    "lists both tarballs; their cosign .sig/.pem verify";
  const locked = lockedRelease(plan, assets, [
    `SLSA provenance ${plan.provenance.name}: Sigstore bundle verified against ${trust.description} (${transparencyLogRecord(signatures.provenance)}); ` +
      `signed by ${builder.subjectAlternativeName} for ${plan.provenanceSigner.sourceRepository} at ${plan.provenanceSigner.sourceRef} ` +
      `(workflow ${plan.provenanceSigner.buildConfig}, issuer ${plan.provenanceSigner.issuer}); its subjects list ${names} with these SHA-256 digests`,
    `cosign .sig/.pem of ${names}: each signature verifies over the asset's bytes with a certificate issued by a Fulcio CA of that root to ` +
      `${String(plan.assetSigner.subjectAlternativeName)} (issuer ${plan.assetSigner.issuer}); not looked up in the transparency log`,
  ]);
  return { locked, summary };
}
