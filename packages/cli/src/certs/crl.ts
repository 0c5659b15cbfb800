// Each CA's CRL, signed from the index: the index says who is revoked, `<pki>/<authority>/crl.pem` says it signed.
import { readFile } from "node:fs/promises";
import type { Authority } from "@nativelink-aws/nativelink-config";
import { authorityPaths } from "./layout.js";
import type { PkiIndex } from "./pki-index.js";
import { loadAuthority, PUBLIC_FILE_MODE, type FileToWrite, type LoadedPki } from "./pki-store.js";
import { crlValidity, revokedBy } from "./policy.js";
import { readCrl, signCrl, type CrlInfo } from "./x509.js";

/** Signs `authority`'s CRL numbered as the index says, listing every certificate the index marks revoked by it. */
export async function signAuthorityCrl(pki: LoadedPki, index: PkiIndex, authority: Authority, now: Date): Promise<FileToWrite> {
  const ca = await loadAuthority(pki, authority);
  const { thisUpdate, nextUpdate } = crlValidity(new Date(index.authorities[authority].notAfter), now);
  const entries = revokedBy(index, authority).map((record) => ({
    serial: record.serial,
    revokedAt: new Date(record.revoked?.at ?? now),
    reason: record.revoked?.reason ?? "unspecified",
  }));
  const pem = await signCrl({
    caCertificatePem: ca.certificatePem,
    caKey: ca.key,
    number: index.authorities[authority].crlNumber,
    thisUpdate,
    nextUpdate,
    entries,
  });
  return { path: authorityPaths(pki.dir, authority).crl, content: pem, mode: PUBLIC_FILE_MODE };
}

/** The stored CRL, or undefined when it is missing. */
export async function readStoredCrl(pki: LoadedPki, authority: Authority): Promise<{ pem: string; info: CrlInfo } | undefined> {
  const path = authorityPaths(pki.dir, authority).crl;
  let pem: string;
  try {
    pem = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  return { pem, info: readCrl(pem, path) };
}

/** Whether a stored CRL is the one the index describes: its number, and exactly the serials revoked. */
export function crlMatchesIndex(crl: CrlInfo | undefined, index: PkiIndex, authority: Authority): boolean {
  if (!crl || crl.number !== index.authorities[authority].crlNumber) return false;
  const expected = revokedBy(index, authority)
    .map((record) => record.serial)
    .sort();
  const listed = [...crl.serials].sort();
  return expected.length === listed.length && expected.every((serial, position) => serial === listed[position]);
}
