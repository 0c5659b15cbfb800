// What the certificates look like and what each command may do: pure functions of the index and the time.
import { randomBytes } from "node:crypto";
import { UsageError } from "../errors.js";
import { CERTIFICATE_KINDS, type Authority, type CertificateKind } from "@nativelink-aws/nativelink-config";
import type { CertificateRecord, PkiIndex, RevocationReason } from "./pki-index.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A CA lives 10 years: its key never leaves the machine, and replacing it means re-issuing every client certificate
 * and re-applying the stack, so it should outlive many generations of client certificates (AWS Private CA's default
 * for a root CA is 10 years too).
 */
export const CA_VALIDITY_DAYS = 3650;
/**
 * Client certificates live at most 397 days, the ceiling for public TLS certificates (CA/Browser Forum, since 2020):
 * a lost laptop's certificate dies within a year even if nobody revokes it.
 */
export const MAX_CLIENT_DAYS = 397;
export const DEFAULT_CLIENT_DAYS = 365;
/** notBefore and a CRL's thisUpdate are an hour in the past, so a clock that is a little behind still accepts them. */
export const BACKDATE_MS = 60 * 60 * 1000;

/** A person (`alice@example.com`) or a CI system (`github-actions`): the CN and SAN of the certificate. */
export const HOLDER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;
export const HOLDER_NAME_PROBLEM = "is not a holder name: 1-64 of A-Z, a-z, 0-9 and . _ @ + -, starting with a letter or digit";

export function caSubject(deployment: string, authority: Authority): string {
  return `CN=${deployment} ${authority === "developers" ? "developers" : "CI"} client CA, O=nativelink-aws`;
}

export function clientSubject(deployment: string, kind: CertificateKind, name: string): string {
  return `CN=${name}, OU=${kind}, O=nativelink-aws ${deployment}`;
}

/** What `clientSubject` wrote, read back from a subject as node:crypto prints it (one `KEY=value` per line). */
export function parseClientSubject(subject: string): { readonly name?: string; readonly kind?: string; readonly deployment?: string } {
  return {
    name: /^CN=(.*)$/m.exec(subject)?.[1],
    kind: /^OU=(.*)$/m.exec(subject)?.[1],
    deployment: /^O=nativelink-aws (.+)$/m.exec(subject)?.[1],
  };
}

/** The SAN of a client certificate: who, which kind, which deployment, in one URI. */
export function clientSanUri(deployment: string, kind: CertificateKind, name: string): string {
  return `urn:nativelink-aws:${deployment}:${kind}:${name}`;
}

/** 16 random bytes, positive and without a leading zero byte: 126 bits of randomness (RFC 5280 allows 20 octets). */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString("hex");
}

export function caValidity(now: Date): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(now.getTime() - BACKDATE_MS), notAfter: new Date(now.getTime() + CA_VALIDITY_DAYS * DAY_MS) };
}

/**
 * A CRL is valid from an hour ago until its CA expires. The load balancer never fetches a CRL: a new one arrives only
 * with `certs publish` and `terraform apply`. A nextUpdate in the past makes strict verifiers call the list stale and
 * refuse every client (openssl: "CRL has expired"), so a short one would lock out an idle deployment; one that ends
 * with the CA costs nothing, since nobody else can hand the load balancer an older list.
 */
export function crlValidity(caNotAfter: Date, now: Date): { thisUpdate: Date; nextUpdate: Date } {
  return { thisUpdate: new Date(now.getTime() - BACKDATE_MS), nextUpdate: caNotAfter };
}

export type CertificateStatus = "valid" | "expired" | "revoked";

export function certificateStatus(record: Pick<CertificateRecord, "notAfter" | "revoked">, now: Date): CertificateStatus {
  if (record.revoked) return "revoked";
  return new Date(record.notAfter).getTime() <= now.getTime() ? "expired" : "valid";
}

export interface IssueDecision {
  readonly authority: Authority;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** When an issued certificate starts and ends, or why it can't be issued. */
export function decideIssue(index: PkiIndex, request: { kind: CertificateKind; days: number }, now: Date): IssueDecision {
  if (request.days > MAX_CLIENT_DAYS) {
    throw new UsageError(
      `--days: ${request.days} is more than ${MAX_CLIENT_DAYS}, the longest a client certificate may live; ` +
        `give --days ${MAX_CLIENT_DAYS} or less and issue a new one before it expires`,
    );
  }
  const authority = CERTIFICATE_KINDS[request.kind];
  const caNotAfter = new Date(index.authorities[authority].notAfter);
  if (caNotAfter.getTime() <= now.getTime()) {
    throw new UsageError(
      `the ${authority} CA expired on ${caNotAfter.toISOString()}: it can sign nothing more; ` +
        `create new CAs with certs init --pki-dir NEW_DIR, re-issue every certificate and publish`,
    );
  }
  const notAfter = new Date(now.getTime() + request.days * DAY_MS);
  if (notAfter.getTime() > caNotAfter.getTime()) {
    const daysLeft = Math.floor((caNotAfter.getTime() - now.getTime()) / DAY_MS);
    throw new UsageError(
      `--days: ${request.days} would outlive the ${authority} CA, which expires on ${caNotAfter.toISOString()}; give --days ${daysLeft} or less`,
    );
  }
  return { authority, notBefore: new Date(now.getTime() - BACKDATE_MS), notAfter };
}

export type RevokeSelector = { readonly name: string } | { readonly serial: string };

/** The certificates to revoke, or why there are none. */
export function decideRevoke(index: PkiIndex, selector: RevokeSelector, now: Date): CertificateRecord[] {
  if ("serial" in selector) {
    const serial = normalizeSerial(selector.serial);
    const record = index.certificates.find((candidate) => candidate.serial === serial);
    if (!record) throw new UsageError(`serial ${serial} was not issued by this PKI (certs list shows what was)`);
    refuseUnlessValid(record, now);
    return [record];
  }
  const named = index.certificates.filter((candidate) => candidate.name === selector.name);
  if (named.length === 0) throw new UsageError(`--name: no certificate was issued to ${selector.name} (certs list shows the names)`);
  const valid = named.filter((record) => certificateStatus(record, now) === "valid");
  if (valid.length === 0) {
    const [only] = named;
    if (named.length === 1 && only) refuseUnlessValid(only, now);
    throw new UsageError(`--name: every certificate of ${selector.name} is already expired or revoked; nothing to revoke`);
  }
  return valid;
}

function refuseUnlessValid(record: CertificateRecord, now: Date): void {
  const status = certificateStatus(record, now);
  if (status === "revoked") throw new UsageError(`serial ${record.serial} (${record.name}) is already revoked (${record.revoked?.at}); nothing to revoke`);
  if (status === "expired") {
    throw new UsageError(`serial ${record.serial} (${record.name}) expired on ${record.notAfter}: the load balancer already refuses it; nothing to revoke`);
  }
}

/** The index after revoking `serials`: each record marked, each affected CA's CRL number one higher. */
export function applyRevocation(index: PkiIndex, serials: readonly string[], reason: RevocationReason, now: Date): PkiIndex {
  const revoked = new Set(serials);
  const affected = new Set(index.certificates.filter((record) => revoked.has(record.serial)).map((record) => CERTIFICATE_KINDS[record.kind]));
  return {
    ...index,
    authorities: {
      developers: bumpIf(index.authorities.developers, affected.has("developers")),
      ci: bumpIf(index.authorities.ci, affected.has("ci")),
    },
    certificates: index.certificates.map((record) => (revoked.has(record.serial) ? { ...record, revoked: { at: now.toISOString(), reason } } : record)),
  };
}

function bumpIf<Record extends { crlNumber: number }>(record: Record, bump: boolean): Record {
  return bump ? { ...record, crlNumber: record.crlNumber + 1 } : record;
}

/** The revoked certificates an authority's CRL lists. */
export function revokedBy(index: PkiIndex, authority: Authority): CertificateRecord[] {
  return index.certificates.filter((record) => record.revoked && CERTIFICATE_KINDS[record.kind] === authority);
}

/** Lower-case hex without separators (openssl prints `7F:11:…`): how the index and the CRL compare serials. */
export function normalizeSerial(serial: string): string {
  return serial.replace(/[:\s]/g, "").toLowerCase();
}
