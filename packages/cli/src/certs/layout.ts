// Where `nativelink-aws certs` keeps and writes things. The published names are a contract with the stack, which reads
// them at synth: keep them stable. This module has no dependencies so the stack side can import it alone
// (`@nativelink-aws/cli/certs/layout`).
import { join } from "node:path";

/** The two certificate authorities of a deployment: who may read the cache, and who may also write it. */
export const AUTHORITIES = ["developers", "ci"] as const;
export type Authority = (typeof AUTHORITIES)[number];

/** `certs issue --kind`: the kind of holder, and the authority that signs for it. */
export const CERTIFICATE_KINDS = { developer: "developers", ci: "ci" } as const satisfies Record<string, Authority>;
export type CertificateKind = keyof typeof CERTIFICATE_KINDS;

// ---- Published (public) material: `certs publish --out DIR`, read by the stack at synth. ----

/** Default `certs publish --out`, relative to the current directory (the cdktf app). */
export const DEFAULT_PUBLISH_DIR = "client-ca";
/** The developers' CA certificate (PEM). */
export const DEVELOPERS_CA_FILE = "developers-ca.pem";
/** The CI systems' CA certificate (PEM). */
export const CI_CA_FILE = "ci-ca.pem";
/** The developers' CA's revocation list (PEM, `X509 CRL`). */
export const DEVELOPERS_CRL_FILE = "developers.crl.pem";
/** The CI CA's revocation list (PEM, `X509 CRL`). */
export const CI_CRL_FILE = "ci.crl.pem";
/** Fingerprints, CRL numbers and the time of publication (`PublishedManifest`). */
export const MANIFEST_FILE = "manifest.json";

/** The published files of each authority. */
export const PUBLISHED_FILES: Readonly<Record<Authority, { readonly caCertificate: string; readonly crl: string }>> = {
  developers: { caCertificate: DEVELOPERS_CA_FILE, crl: DEVELOPERS_CRL_FILE },
  ci: { caCertificate: CI_CA_FILE, crl: CI_CRL_FILE },
};

/** Every file `certs publish` writes, and nothing else. */
export const ALL_PUBLISHED_FILES = [DEVELOPERS_CA_FILE, CI_CA_FILE, DEVELOPERS_CRL_FILE, CI_CRL_FILE, MANIFEST_FILE] as const;

/**
 * Which authorities each listener trusts. Readers (port 443): the action cache is read-only behind it, so both
 * developers and CI may connect. Writers (a second port): the action cache is writable, so CI only.
 */
export const LISTENER_TRUST: Readonly<Record<"readers" | "writers", readonly Authority[]>> = {
  readers: ["developers", "ci"],
  writers: ["ci"],
};

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

/** One authority in `manifest.json`. */
export interface PublishedAuthority {
  /** File name of the CA certificate in the published directory. */
  readonly caCertificate: string;
  /** File name of its CRL in the published directory. */
  readonly crl: string;
  readonly subject: string;
  /** SHA-256 of the CA certificate's DER encoding, lower-case hex. */
  readonly sha256: string;
  readonly notAfter: string;
  readonly crlNumber: number;
  readonly crlThisUpdate: string;
  readonly crlNextUpdate: string;
  /** How many certificates the CRL lists. */
  readonly revoked: number;
}

/** `manifest.json`: what was published, for the stack and for people comparing two publications. */
export interface PublishedManifest {
  readonly format: 1;
  readonly deployment: string;
  readonly publishedAt: string;
  readonly authorities: Readonly<Record<Authority, PublishedAuthority>>;
}
