// The `certs` commands' I/O: load the PKI, ask policy.ts what to do, sign in memory, then write, all or nothing.
import { mkdir, readFile, unlink } from "node:fs/promises";
import { join, relative } from "node:path";
import { RefusedError, UsageError } from "../errors.js";
import { writeJson, writeLines, type CliIo } from "../io.js";
import { crlMatchesIndex, readStoredCrl, signAuthorityCrl } from "./crl.js";
import { AUTHORITIES, MANIFEST_FILE, type Authority, type CertificateKind } from "@nativelink-aws/nativelink-config";
import { authorityPaths, CA_CERTIFICATE_FILE, CA_CRL_FILE, CA_KEY_FILE, issuedPaths, PKI_INDEX_FILE } from "./layout.js";
import type { CertificateRecord, PkiIndex, RevocationReason } from "./pki-index.js";
import { serializePkiIndex } from "./pki-index.js";
import {
  createPkiDirectory,
  enclosingGitRepository,
  loadAuthority,
  loadPki,
  pkiPresent,
  PRIVATE_FILE_MODE,
  PUBLIC_FILE_MODE,
  replaceFile,
  saveIndex,
  writeNewFiles,
  type FileToWrite,
  type LoadedPki,
} from "./pki-store.js";
import {
  applyRevocation,
  caSubject,
  caValidity,
  certificateStatus,
  clientSanUri,
  clientSubject,
  crlValidity,
  decideIssue,
  decideRevoke,
  randomSerial,
  type RevokeSelector,
} from "./policy.js";
import { alreadyPublished, buildManifest, publicationFiles, type AuthorityMaterial } from "./publish.js";
import { createCaCertificate, createClientCertificate, generateKeyPair, isIssuedBy, privateKeyToPem, readCertificate, readCrl, signCrl } from "./x509.js";

interface PkiFlags {
  readonly deployment: string;
  /** Absolute. */
  readonly pkiDir: string;
}

export async function initPki(flags: PkiFlags, io: CliIo, now: Date): Promise<void> {
  if (await pkiPresent(flags.pkiDir)) {
    throw new RefusedError(
      `a PKI already exists at ${flags.pkiDir}: certs init never replaces one, since its CA keys signed every certificate issued. ` +
        "Keep using it, or move it away first (or give another --pki-dir) to start over",
    );
  }
  const repository = await enclosingGitRepository(flags.pkiDir);
  if (repository) {
    throw new RefusedError(
      `--pki-dir ${flags.pkiDir} is inside the git repository ${repository}: CA private keys there end up committed. ` +
        "Use the default (~/.nativelink-aws/<deployment>/pki) or another directory outside any repository",
    );
  }
  const files: FileToWrite[] = [];
  const authorities = {} as Record<Authority, PkiIndex["authorities"]["developers"]>;
  for (const authority of AUTHORITIES) {
    const keys = await generateKeyPair();
    const certificate = await createCaCertificate({ subject: caSubject(flags.deployment, authority), keys, serial: randomSerial(), ...caValidity(now) });
    const crl = await signCrl({ caCertificatePem: certificate.pem, caKey: keys.privateKey, number: 1, entries: [], ...crlValidity(certificate.notAfter, now) });
    files.push(
      { path: join(authority, CA_KEY_FILE), content: await privateKeyToPem(keys.privateKey), mode: PRIVATE_FILE_MODE },
      { path: join(authority, CA_CERTIFICATE_FILE), content: certificate.pem, mode: PUBLIC_FILE_MODE },
      { path: join(authority, CA_CRL_FILE), content: crl, mode: PUBLIC_FILE_MODE },
    );
    authorities[authority] = {
      subject: certificate.subject,
      serial: certificate.serial,
      sha256: certificate.sha256,
      notBefore: certificate.notBefore.toISOString(),
      notAfter: certificate.notAfter.toISOString(),
      crlNumber: 1,
    };
  }
  const index: PkiIndex = { format: 1, deployment: flags.deployment, createdAt: now.toISOString(), authorities, certificates: [] };
  files.push({ path: PKI_INDEX_FILE, content: serializePkiIndex(index), mode: PUBLIC_FILE_MODE });
  await createPkiDirectory(flags.pkiDir, files);
  writeLines(io.stdout, [
    `created the PKI of deployment ${flags.deployment} in ${flags.pkiDir} (mode 0700; CA keys 0600, never uploaded):`,
    ...AUTHORITIES.map((authority) => `  ${authority}: ${authorities[authority].subject}, valid until ${authorities[authority].notAfter}`),
    "",
    "Back this directory up somewhere offline: without the CA keys, nothing more can be issued or revoked.",
    `Next: nativelink-aws certs issue --deployment ${flags.deployment} --name NAME --kind developer|ci --out DIR, then certs publish.`,
  ]);
}

export interface IssueFlags extends PkiFlags {
  readonly name: string;
  readonly kind: CertificateKind;
  readonly days: number;
  /** Absolute. */
  readonly out: string;
}

export async function issueCertificate(flags: IssueFlags, io: CliIo, now: Date): Promise<void> {
  const pki = await loadPki(flags.pkiDir, flags.deployment);
  const decision = decideIssue(pki.index, flags, now);
  const ca = await loadAuthority(pki, decision.authority);
  const keys = await generateKeyPair();
  const certificate = await createClientCertificate({
    caCertificatePem: ca.certificatePem,
    caKey: ca.key,
    publicKey: keys.publicKey,
    serial: randomSerial(),
    subject: clientSubject(flags.deployment, flags.kind, flags.name),
    sanUri: clientSanUri(flags.deployment, flags.kind, flags.name),
    notBefore: decision.notBefore,
    notAfter: decision.notAfter,
  });
  const paths = issuedPaths(flags.out);
  const files = [
    { path: paths.certificate, content: certificate.pem, mode: PUBLIC_FILE_MODE },
    { path: paths.key, content: await privateKeyToPem(keys.privateKey), mode: PRIVATE_FILE_MODE },
    { path: paths.chain, content: certificate.pem + ca.certificatePem, mode: PUBLIC_FILE_MODE },
  ];
  await writeNewFiles(files, io.cwd, "certs issue never overwrites a certificate or key; give another --out, or move those files away");
  const record: CertificateRecord = {
    name: flags.name,
    kind: flags.kind,
    serial: certificate.serial,
    subject: certificate.subject,
    sha256: certificate.sha256,
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    issuedAt: now.toISOString(),
  };
  try {
    await saveIndex(pki, { ...pki.index, certificates: [...pki.index.certificates, record] });
  } catch (error) {
    // An unrecorded certificate could never be listed or revoked by name: take it back.
    for (const file of files) await unlink(file.path).catch(() => undefined);
    throw error;
  }
  const repository = await enclosingGitRepository(flags.out);
  writeLines(io.stdout, [
    `issued a ${flags.kind} certificate to ${flags.name} (serial ${certificate.serial}), ` +
      `valid until ${record.notAfter}, signed by the ${decision.authority} CA:`,
    `  ${paths.certificate}`,
    `  ${paths.key} (private key, mode 0600: hand it over privately, never commit it)`,
    `  ${paths.chain}`,
    "",
    "Bazel flags for this certificate:",
    `  build --tls_client_certificate=${paths.certificate}`,
    `  build --tls_client_key=${paths.key}`,
  ]);
  if (repository) io.stderr.write(`warning: ${flags.out} is inside the git repository ${repository}; keep ${paths.key} out of commits (.gitignore)\n`);
}

export interface RevokeFlags extends PkiFlags {
  readonly name?: string;
  readonly serial?: string;
  /** Absolute path of a certificate file. */
  readonly cert?: string;
  readonly reason: RevocationReason;
}

export async function revokeCertificates(flags: RevokeFlags, io: CliIo, now: Date): Promise<void> {
  const pki = await loadPki(flags.pkiDir, flags.deployment);
  const selector: RevokeSelector =
    flags.cert !== undefined
      ? { serial: await serialOfOwnCertificate(pki, flags.cert) }
      : flags.serial !== undefined
        ? { serial: flags.serial }
        : { name: flags.name ?? "" };
  const records = decideRevoke(pki.index, selector, now);
  const index = applyRevocation(
    pki.index,
    records.map((record) => record.serial),
    flags.reason,
    now,
  );
  const affected = AUTHORITIES.filter((authority) => index.authorities[authority].crlNumber !== pki.index.authorities[authority].crlNumber);
  // Sign every CRL before writing anything: a missing CA key stops the command with the PKI untouched.
  const crls = await Promise.all(affected.map((authority) => signAuthorityCrl(pki, index, authority, now)));
  await saveIndex(pki, index);
  for (const crl of crls) await replaceFile(crl);
  writeLines(io.stdout, [
    ...records.map((record) => `revoked ${record.kind} certificate ${record.serial} of ${record.name} (${flags.reason})`),
    ...affected.map((authority) => `signed CRL ${index.authorities[authority].crlNumber} of the ${authority} CA: ${authorityPaths(pki.dir, authority).crl}`),
    "",
    "The load balancer still accepts these certificates until the new CRL reaches it:",
    "  nativelink-aws certs publish, then synth and terraform apply.",
  ]);
}

async function serialOfOwnCertificate(pki: LoadedPki, path: string): Promise<string> {
  let pem: string;
  try {
    pem = await readFile(path, "utf8");
  } catch (error) {
    throw new UsageError(`--cert ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const certificate = readCertificate(pem, `--cert ${path}`);
  for (const authority of AUTHORITIES) {
    const caPem = await readFile(authorityPaths(pki.dir, authority).certificate, "utf8");
    if (await isIssuedBy(pem, caPem)) return certificate.serial;
  }
  throw new UsageError(
    `--cert ${path} was not issued by the developers or CI CA of deployment ${pki.index.deployment} ` +
      `(its issuer is ${certificate.issuer}); nothing to revoke here`,
  );
}

export interface ListedCertificate {
  readonly name: string;
  readonly kind: CertificateKind;
  readonly serial: string;
  readonly notAfter: string;
  readonly status: "valid" | "expired" | "revoked";
  readonly revokedAt?: string;
  readonly reason?: RevocationReason;
}

export function listedCertificates(index: PkiIndex, now: Date): ListedCertificate[] {
  return index.certificates.map((record) => ({
    name: record.name,
    kind: record.kind,
    serial: record.serial,
    notAfter: record.notAfter,
    status: certificateStatus(record, now),
    ...(record.revoked ? { revokedAt: record.revoked.at, reason: record.revoked.reason } : {}),
  }));
}

export async function listCertificates(flags: PkiFlags & { readonly json: boolean }, io: CliIo, now: Date): Promise<void> {
  const pki = await loadPki(flags.pkiDir, flags.deployment);
  const listed = listedCertificates(pki.index, now);
  if (flags.json) {
    writeJson(io.stdout, { deployment: pki.index.deployment, certificates: listed });
    return;
  }
  if (listed.length === 0) {
    writeLines(io.stdout, [`no certificates issued yet in ${pki.dir}; issue one with nativelink-aws certs issue`]);
    return;
  }
  const rows = [["NAME", "KIND", "SERIAL", "NOT AFTER", "STATUS"], ...listed.map((row) => [row.name, row.kind, row.serial, row.notAfter, statusText(row)])];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  writeLines(
    io.stdout,
    rows.map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    ),
  );
}

function statusText(row: ListedCertificate): string {
  return row.status === "revoked" ? `revoked ${row.revokedAt?.slice(0, 10)} (${row.reason})` : row.status;
}

export async function publishCaBundle(flags: PkiFlags & { readonly out: string }, io: CliIo, now: Date): Promise<void> {
  const pki = await loadPki(flags.pkiDir, flags.deployment);
  // A CRL that does not match the index (an interrupted revoke, an edited file) is signed anew, one number up.
  let index = pki.index;
  const stored = Object.fromEntries(await Promise.all(AUTHORITIES.map(async (authority) => [authority, await readStoredCrl(pki, authority)] as const)));
  const stale = AUTHORITIES.filter((authority) => !crlMatchesIndex(stored[authority]?.info, index, authority));
  for (const authority of stale) {
    index = {
      ...index,
      authorities: { ...index.authorities, [authority]: { ...index.authorities[authority], crlNumber: index.authorities[authority].crlNumber + 1 } },
    };
  }
  const resigned = await Promise.all(stale.map((authority) => signAuthorityCrl(pki, index, authority, now)));
  if (resigned.length > 0) {
    await saveIndex(pki, index);
    for (const crl of resigned) await replaceFile(crl);
  }
  const material = {} as Record<Authority, AuthorityMaterial>;
  for (const authority of AUTHORITIES) {
    const paths = authorityPaths(pki.dir, authority);
    const crlPem = await readFile(paths.crl, "utf8");
    material[authority] = { caCertificatePem: await readFile(paths.certificate, "utf8"), crlPem, crl: readCrl(crlPem, paths.crl) };
  }
  const files = publicationFiles(flags.out, material, buildManifest(index, material, now), MANIFEST_FILE);
  const shown = relative(io.cwd, flags.out) || ".";
  const previous = await alreadyPublished(files, join(flags.out, MANIFEST_FILE));
  if (previous !== undefined) {
    writeLines(io.stdout, [`${shown} is up to date (published ${previous}); nothing written`]);
    return;
  }
  await mkdir(flags.out, { recursive: true });
  for (const file of files) await replaceFile(file);
  writeLines(io.stdout, [
    ...resigned.map((crl) => `signed a new CRL: ${crl.path}`),
    ...files.map((file) => `wrote ${file.path}`),
    "",
    `Next: synth and terraform apply; the load balancer's trust stores take the CA certificates and CRLs from ${shown}.`,
  ]);
}
