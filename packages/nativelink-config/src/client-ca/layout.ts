/**
 * The published client CA directory (`nativelink-aws certs publish --out client-ca`): the contract between the CLI,
 * which writes it, and the stack, which reads it at synthesis to build the load balancer's trust stores. The names
 * are that contract: keep them stable. Pure: no file access here.
 */

/** The two certificate authorities of a deployment: who may read the cache, and who may also write it. */
export const AUTHORITIES = ["developers", "ci"] as const;
export type Authority = (typeof AUTHORITIES)[number];

/** The kind of a certificate's holder (`certs issue --kind`), and the authority that signs for it. */
export const CERTIFICATE_KINDS = { developer: "developers", ci: "ci" } as const satisfies Record<string, Authority>;
export type CertificateKind = keyof typeof CERTIFICATE_KINDS;

/** Default `certs publish --out` and the stack's default client CA directory, relative to the app's folder. */
export const DEFAULT_CLIENT_CA_DIR = "client-ca";
/** The developers' CA certificate (PEM). */
export const DEVELOPERS_CA_FILE = "developers-ca.pem";
/** The CI systems' CA certificate (PEM). */
export const CI_CA_FILE = "ci-ca.pem";
/** The developers' CA's revocation list (PEM, `X509 CRL`). */
export const DEVELOPERS_CRL_FILE = "developers.crl.pem";
/** The CI CA's revocation list (PEM, `X509 CRL`). */
export const CI_CRL_FILE = "ci.crl.pem";
/** Fingerprints, CRL numbers and the time of publication (`ClientCaManifest`). */
export const MANIFEST_FILE = "manifest.json";

/** The published files of each authority. */
export const PUBLISHED_FILES: Readonly<Record<Authority, { readonly caCertificate: string; readonly crl: string }>> = {
  developers: { caCertificate: DEVELOPERS_CA_FILE, crl: DEVELOPERS_CRL_FILE },
  ci: { caCertificate: CI_CA_FILE, crl: CI_CRL_FILE },
};

/** Every file `certs publish` writes, and nothing else. */
export const ALL_PUBLISHED_FILES = [DEVELOPERS_CA_FILE, CI_CA_FILE, DEVELOPERS_CRL_FILE, CI_CRL_FILE, MANIFEST_FILE] as const;

/** The load balancer's two listeners that verify client certificates. */
export const CLIENT_CA_LISTENERS = ["readers", "writers"] as const;
export type ClientCaListener = (typeof CLIENT_CA_LISTENERS)[number];

/**
 * Which authorities each listener trusts. Readers (port 443): the action cache is read-only behind it, so both
 * developers and CI may connect. Writers (a second port, 8443 by default): the action cache is writable, so CI only.
 */
export const LISTENER_TRUST: Readonly<Record<ClientCaListener, readonly Authority[]>> = {
  readers: ["developers", "ci"],
  writers: ["ci"],
};

/** The command that creates a deployment's two CAs (once; their keys stay on that machine). */
export function certsInitCommand(deployment: string): string {
  return `npx nativelink-aws certs init --deployment ${deployment}`;
}

/** The command that issues a client certificate to a person (`developer`) or a CI system (`ci`). */
export function certsIssueCommand(deployment: string): string {
  return `npx nativelink-aws certs issue --deployment ${deployment} --name NAME --kind developer|ci --out DIR`;
}

/** The command that writes the published directory `dir`. */
export function certsPublishCommand(deployment: string, dir: string): string {
  return `npx nativelink-aws certs publish --deployment ${deployment} --out ${dir}`;
}
