// Who a Fulcio certificate was issued to, read from its SAN and Fulcio's GitHub extensions, and the exact comparison
// with who must have signed. Strings are compared whole: no unanchored patterns.
import type { X509Certificate } from "@sigstore/core";
import { CliError, ExitCode } from "../errors.js";
import type { ExpectedSigner } from "./release-plan.js";

/** A release did not verify: nothing is written. Exit 1, "a check failed". */
export class ReleaseVerificationError extends CliError {
  constructor(message: string) {
    super(`${message}\nNothing was written.`, ExitCode.notOk);
  }
}

// https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md
const OID_ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";
const OID_ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";
const OID_SOURCE_REPOSITORY = "1.3.6.1.4.1.57264.1.12";
const OID_SOURCE_REF = "1.3.6.1.4.1.57264.1.14";
const OID_BUILD_CONFIG = "1.3.6.1.4.1.57264.1.18";

export interface CertificateIdentity {
  readonly subjectAlternativeName: string | undefined;
  readonly issuer: string | undefined;
  readonly sourceRepository: string | undefined;
  readonly sourceRef: string | undefined;
  readonly buildConfig: string | undefined;
}

/** The text of a Fulcio extension whose value is a DER UTF8String (1.3.6.1.4.1.57264.1.8 and later). */
function utf8Extension(certificate: X509Certificate, oid: string): string | undefined {
  try {
    return certificate.extension(oid)?.valueObj.subs[0]?.value.toString("utf8");
  } catch {
    return undefined;
  }
}

export function certificateIdentity(certificate: X509Certificate): CertificateIdentity {
  return {
    subjectAlternativeName: certificate.subjectAltName,
    // The deprecated 57264.1.1 holds the issuer as raw bytes; Fulcio writes both.
    issuer: utf8Extension(certificate, OID_ISSUER_V2) ?? certificate.extension(OID_ISSUER_V1)?.value.toString("utf8"),
    sourceRepository: utf8Extension(certificate, OID_SOURCE_REPOSITORY),
    sourceRef: utf8Extension(certificate, OID_SOURCE_REF),
    buildConfig: utf8Extension(certificate, OID_BUILD_CONFIG),
  };
}

/** What differs between the certificate's identity and the expected signer, one line each; empty when it matches. */
export function identityMismatches(identity: CertificateIdentity, expected: ExpectedSigner): string[] {
  const problems: string[] = [];
  const san = identity.subjectAlternativeName;
  const sanMatches =
    typeof expected.subjectAlternativeName === "string"
      ? san === expected.subjectAlternativeName
      : san !== undefined && expected.subjectAlternativeName.test(san);
  const show = (value: string | undefined) => (value === undefined ? "nothing" : value);
  if (!sanMatches) problems.push(`signed by ${show(san)}, expected ${String(expected.subjectAlternativeName)}`);
  if (identity.issuer !== expected.issuer) problems.push(`certificate issuer ${show(identity.issuer)}, expected ${expected.issuer}`);
  if (identity.sourceRepository !== expected.sourceRepository) {
    problems.push(`source repository ${show(identity.sourceRepository)}, expected ${expected.sourceRepository}`);
  }
  if (identity.sourceRef !== expected.sourceRef) problems.push(`source ref ${show(identity.sourceRef)}, expected ${expected.sourceRef}`);
  if (expected.buildConfig !== undefined && identity.buildConfig !== expected.buildConfig) {
    problems.push(`workflow ${show(identity.buildConfig)}, expected ${expected.buildConfig}`);
  }
  return problems;
}

/** @throws ReleaseVerificationError naming the file and every mismatch. */
export function assertSigner(certificate: X509Certificate, expected: ExpectedSigner, what: string): CertificateIdentity {
  const identity = certificateIdentity(certificate);
  const problems = identityMismatches(identity, expected);
  if (problems.length > 0) throw new ReleaseVerificationError(`${what}: not signed by the expected identity:\n  ${problems.join("\n  ")}`);
  return identity;
}
