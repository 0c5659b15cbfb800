import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  ALL_PUBLISHED_FILES,
  AUTHORITIES,
  certsInitCommand,
  certsPublishCommand,
  ClientCaError,
  LISTENER_TRUST,
  MANIFEST_FILE,
  parseClientCaManifest,
  PUBLISHED_FILES,
  type Authority,
  type ClientCaListener,
  type ClientCaManifest,
} from "@nativelink-aws/nativelink-config";
import type { TrustStorePem } from "./client-authentication.js";

/** What `nativelink-aws certs publish` wrote, as the two listeners' trust store sources. */
export interface ClientCaDirectory {
  /** The readers' listener (443): the developers' and the CI CA certificates and their revocation lists. */
  readonly readers: TrustStorePem;
  /** The writers' listener: the CI CA certificate and its revocation list. */
  readonly writers: TrustStorePem;
  /** `manifest.json`: the deployment, each CA's fingerprint and CRL number, when it was published. */
  readonly manifest: ClientCaManifest;
}

export interface ReadClientCaDirectoryOptions {
  /**
   * The deployment whose client CAs the directory must hold (`manifest.json`'s `deployment`, `certs publish --deployment`).
   * @default undefined (any deployment's)
   */
  readonly deployment?: string;
}

/**
 * Reads a directory written by `nativelink-aws certs publish --out DIR` (relative paths from the working directory of
 * synthesis, the app's folder), checks it against its `manifest.json`, and returns each listener's trust store source
 * (`LISTENER_TRUST`: readers trust the developers' and the CI CA, writers the CI CA only):
 *
 * ```ts
 * const clientCa = readClientCaDirectory("client-ca");
 * new NativeLinkCluster(stack, "Cluster", { …, clientAuthentication: { mode: "verify", readers: clientCa.readers, writers: clientCa.writers } });
 * ```
 *
 * @throws ClientCaError naming the missing or wrong file and the command that writes it.
 */
export function readClientCaDirectory(dir: string, options: ReadClientCaDirectoryOptions = {}): ClientCaDirectory {
  const deploymentName = options.deployment ?? "<name>";
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ClientCaError(
      `No client CA directory at ${dir}: run \`${certsInitCommand(deploymentName)}\` once if the deployment has no CAs yet, ` +
        `then \`${certsPublishCommand(deploymentName, dir)}\``,
    );
  }
  const publish = certsPublishCommand(deploymentName, dir);
  for (const file of readdirSync(dir)) {
    const path = join(dir, file);
    if (statSync(path).isFile() && readFileSync(path, "utf8").includes("PRIVATE KEY")) {
      throw new ClientCaError(
        `${path} holds a private key, which certs publish never writes and the stack must never read: remove it from ${dir} ` +
          "(and from the repository's history), and treat that key as exposed: revoke what it signed",
      );
    }
  }
  const missing = ALL_PUBLISHED_FILES.filter((file) => !existsSync(join(dir, file)));
  if (missing.length > 0) {
    throw new ClientCaError(`${dir} lacks ${missing.join(", ")}, which certs publish writes: write the directory again with \`${publish}\``);
  }
  const manifest = parseClientCaManifest(readFileSync(join(dir, MANIFEST_FILE), "utf8"), join(dir, MANIFEST_FILE), publish);
  if (options.deployment !== undefined && manifest.deployment !== options.deployment) {
    throw new ClientCaError(
      `${dir} holds the client CAs of deployment ${manifest.deployment}, not ${options.deployment}: ` +
        `publish this deployment's with \`${certsPublishCommand(options.deployment, dir)}\``,
    );
  }
  const republish = certsPublishCommand(manifest.deployment, dir);
  const files = {} as Record<Authority, { caCertificatePem: string; crlPem: string }>;
  for (const authority of AUTHORITIES) {
    const caPath = join(dir, PUBLISHED_FILES[authority].caCertificate);
    const crlPath = join(dir, PUBLISHED_FILES[authority].crl);
    const caCertificatePem = pemBlock(readFileSync(caPath, "utf8"), "CERTIFICATE", caPath, republish);
    const crlPem = pemBlock(readFileSync(crlPath, "utf8"), "X509 CRL", crlPath, republish);
    const expected = manifest.authorities[authority].sha256;
    const actual = derSha256(caCertificatePem);
    if (actual !== expected) {
      throw new ClientCaError(
        `${caPath} is not the certificate ${join(dir, MANIFEST_FILE)} names (SHA-256 ${actual}, the manifest says ${expected}): ` +
          `write the directory again with \`${republish}\``,
      );
    }
    files[authority] = { caCertificatePem, crlPem };
  }
  const source = (listener: ClientCaListener): TrustStorePem => ({
    caCertificatesPem: LISTENER_TRUST[listener].map((authority) => files[authority].caCertificatePem).join(""),
    revocationListsPem: LISTENER_TRUST[listener].map((authority) => files[authority].crlPem),
  });
  return { readers: source("readers"), writers: source("writers"), manifest };
}

/** The single PEM block labelled `label` in `text`, with a final newline; a ClientCaError otherwise. */
function pemBlock(text: string, label: string, path: string, republish: string): string {
  const blocks = text.match(new RegExp(`-----BEGIN ${label}-----\\r?\\n[A-Za-z0-9+/=\\r\\n]+-----END ${label}-----`, "g")) ?? [];
  if (blocks.length !== 1) {
    throw new ClientCaError(`${path} holds ${blocks.length} PEM blocks "${label}", not one: write the directory again with \`${republish}\``);
  }
  return `${blocks[0]!.replace(/\r\n/g, "\n")}\n`;
}

/** SHA-256 of a PEM certificate's DER bytes, lower-case hex, as the manifest records it. */
function derSha256(pem: string): string {
  const base64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
  return createHash("sha256").update(Buffer.from(base64, "base64")).digest("hex");
}
