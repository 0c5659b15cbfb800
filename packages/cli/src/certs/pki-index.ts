// `<pki>/issued.json`: the authorities, every certificate issued and revoked, and each CA's CRL number.
import { z } from "zod";
import { UsageError } from "../errors.js";
import { CERTIFICATE_KINDS, type CertificateKind } from "@nativelink-aws/nativelink-config";
import { HOLDER_NAME, HOLDER_NAME_PROBLEM } from "./policy.js";

const isoTime = z.iso.datetime();
const hexSerial = z.string().regex(/^[0-9a-f]+$/, "is not a lower-case hex serial");
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "is not a SHA-256 fingerprint");

/** `certs revoke --reason`, as RFC 5280's CRLReason names them. */
export const REVOCATION_REASONS = ["unspecified", "keyCompromise", "affiliationChanged", "superseded", "cessationOfOperation", "privilegeWithdrawn"] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

const authorityRecord = z.object({
  subject: z.string().min(1),
  serial: hexSerial,
  notBefore: isoTime,
  notAfter: isoTime,
  sha256,
  /** The number of the CA's latest signed CRL (the one in `<pki>/<authority>/crl.pem`). */
  crlNumber: z.number().int().min(1),
});

const certificateRecord = z.object({
  name: z.string().regex(HOLDER_NAME, HOLDER_NAME_PROBLEM),
  kind: z.enum(Object.keys(CERTIFICATE_KINDS) as [CertificateKind, ...CertificateKind[]]),
  serial: hexSerial,
  subject: z.string().min(1),
  notBefore: isoTime,
  notAfter: isoTime,
  issuedAt: isoTime,
  sha256,
  revoked: z.object({ at: isoTime, reason: z.enum(REVOCATION_REASONS) }).optional(),
});

export const pkiIndexSchema = z.object({
  format: z.literal(1),
  deployment: z.string().min(1),
  createdAt: isoTime,
  authorities: z.object({ developers: authorityRecord, ci: authorityRecord }),
  certificates: z.array(certificateRecord),
});

export type PkiIndex = z.output<typeof pkiIndexSchema>;
export type AuthorityRecord = z.output<typeof authorityRecord>;
export type CertificateRecord = z.output<typeof certificateRecord>;

/** Parses the index; a UsageError names `source` and what is wrong where. */
export function parsePkiIndex(text: string, source: string): PkiIndex {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${source} is not JSON (${(error as Error).message}); restore it from your backup of the PKI directory`);
  }
  const parsed = pkiIndexSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(top)"}: ${issue.message}`);
    throw new UsageError(`${source} is not a certs index (${problems.join("; ")}); restore it from your backup of the PKI directory`);
  }
  return parsed.data;
}

export function serializePkiIndex(index: PkiIndex): string {
  return `${JSON.stringify(index, null, 2)}\n`;
}
