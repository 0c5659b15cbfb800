// Where `nativelink-aws certs` keeps the private PKI and writes issued certificates. The published directory's names
// (what the stack reads) are a contract with the stack and live in @nativelink-aws/nativelink-config (`client-ca`).
import { join } from "node:path";
import type { Authority } from "@nativelink-aws/nativelink-config";

// ---- The private PKI directory: on the person's machine only, never in a repository, never uploaded. ----

/** `~/.nativelink-aws/<deployment>/pki`, the default `--pki-dir`. */
export function defaultPkiDir(home: string, deployment: string): string {
  return join(home, ".nativelink-aws", deployment, "pki");
}

/** The record of every certificate issued and revoked, and each CA's CRL number (`PkiIndex`). */
export const PKI_INDEX_FILE = "issued.json";
/** In `<pki>/<authority>/`: the CA's private key (PKCS#8 PEM, mode 0600). */
export const CA_KEY_FILE = "ca.key";
/** In `<pki>/<authority>/`: the CA's certificate (PEM). */
export const CA_CERTIFICATE_FILE = "ca.pem";
/** In `<pki>/<authority>/`: the CA's latest signed CRL (PEM). */
export const CA_CRL_FILE = "crl.pem";

export interface AuthorityPaths {
  readonly dir: string;
  readonly key: string;
  readonly certificate: string;
  readonly crl: string;
}

export function authorityPaths(pkiDir: string, authority: Authority): AuthorityPaths {
  const dir = join(pkiDir, authority);
  return { dir, key: join(dir, CA_KEY_FILE), certificate: join(dir, CA_CERTIFICATE_FILE), crl: join(dir, CA_CRL_FILE) };
}

// ---- An issued certificate: `certs issue --out DIR`. ----

/** The client certificate, for Bazel's `--tls_client_certificate`. */
export const ISSUED_CERTIFICATE_FILE = "client.pem";
/** Its private key, PKCS#8 PEM (what Bazel's netty loads), mode 0600, for Bazel's `--tls_client_key`. */
export const ISSUED_KEY_FILE = "client.key";
/** The client certificate followed by its CA's certificate. */
export const ISSUED_CHAIN_FILE = "chain.pem";

export interface IssuedPaths {
  readonly certificate: string;
  readonly key: string;
  readonly chain: string;
}

export function issuedPaths(outDir: string): IssuedPaths {
  return { certificate: join(outDir, ISSUED_CERTIFICATE_FILE), key: join(outDir, ISSUED_KEY_FILE), chain: join(outDir, ISSUED_CHAIN_FILE) };
}
