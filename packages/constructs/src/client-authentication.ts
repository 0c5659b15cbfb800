import type { ClientCaListener } from "@nativelink-aws/nativelink-config";
import type { Construct } from "constructs";
import { Token } from "./cdktf.js";
import { NativeLinkPropError } from "./errors.js";

/** An S3 object the load balancer reads once, when Terraform creates or changes the trust store. */
export interface S3ObjectLocation {
  /** The bucket's name. */
  readonly bucket: string;
  /** The object's key. */
  readonly key: string;
  /**
   * The object's version. A trust store copies the object when Terraform applies a change of bucket, key or version,
   * never later: give a new key or version when the content changes, or the load balancer keeps the old one.
   * @default undefined (the object's current version when the trust store is created or changed)
   */
  readonly version?: string;
}

/** A trust store's CA certificates and revocation lists as PEM text, stored by the cluster in its access-log bucket. */
export interface TrustStorePem {
  /**
   * PEM text of the CA certificate(s) whose client certificates the listener accepts (`-----BEGIN CERTIFICATE-----`),
   * several concatenated for several CAs. Stored under a key derived from its content, so a changed bundle reaches the
   * trust store on the next `terraform apply`.
   */
  readonly caCertificatesPem: string;
  /**
   * PEM text of each CA's certificate revocation list (`-----BEGIN X509 CRL-----`), each signed by a CA of the bundle.
   * Stored under keys derived from their content, so a new list replaces the old one on the next `terraform apply`.
   * @default [] (nothing revoked)
   */
  readonly revocationListsPem?: readonly string[];
}

/** A trust store's CA certificates and revocation lists as S3 objects you manage. */
export interface TrustStoreS3 {
  /** The CA bundle object (PEM certificates). */
  readonly caCertificatesS3: S3ObjectLocation;
  /**
   * Revocation list objects (PEM CRLs). A trust store copies each when it is added: give a new key or version for a new
   * list.
   * @default [] (nothing revoked)
   */
  readonly revocationListsS3?: readonly S3ObjectLocation[];
}

/** Where one listener's trust store comes from: PEM text (e.g. from `readClientCaDirectory`) or S3 objects you manage. */
export type TrustStoreSource = TrustStorePem | TrustStoreS3;

/**
 * Both listeners verify client certificates (ALB mutual TLS, verify mode): clients without a certificate signed by a
 * CA of the listener's trust store, or with a revoked one, never reach NativeLink.
 * `readClientCaDirectory("client-ca")` gives both sources from what `nativelink-aws certs publish` writes.
 */
export interface VerifiedClientAuthentication {
  /** Verify client certificates on both listeners (ALB mutual TLS, verify mode). */
  readonly mode: "verify";
  /**
   * Trust store of the readers' listener (443: `cas.` and `scheduler.`, the action cache read-only behind it): the
   * developers' and the CI CA (`LISTENER_TRUST.readers`).
   */
  readonly readers: TrustStoreSource;
  /** Trust store of the writers' listener (`writersListenerPort`, `cas.` with a writable action cache): the CI CA only. */
  readonly writers: TrustStoreSource;
}

/**
 * No client certificates: every client that reaches the listeners (`clientCidrs`) can run actions on the workers and
 * read the cache, and, if `writersListener` creates the writers' listener, write action results there that every build
 * then trusts.
 */
export interface ClientAuthenticationOff {
  /** Verify no client certificate. */
  readonly mode: "off";
  /**
   * Why no client authenticates, for reviewers: recorded as the suppression of the rule `NL-ELB-3` on the listeners and
   * in their `//` metadata (`nativelink_client_authentication`). At least 10 characters.
   */
  readonly reason: string;
  /**
   * Also create the writers' listener (`writersListenerPort`: `cas.` with a writable action cache). Without client
   * certificates, every client that reaches it may write action results that every build then trusts, so it exists
   * only when asked for. Without it, the action cache is read-only through the load balancer: only the workers write
   * results (of the actions they run), and the outputs `cas_writers_endpoint` and `bazel_flags_ci` are left out.
   * @default false (no writers' listener)
   */
  readonly writersListener?: boolean;
}

/** Who may use the endpoints: verified client certificates, or explicitly nobody checked, with a reason. */
export type ClientAuthentication = VerifiedClientAuthentication | ClientAuthenticationOff;

/** The trust store source of each listener, once validated. */
export type ListenerTrustSources = Readonly<Record<ClientCaListener, TrustStoreSource>>;

/** The shortest `reason` of `mode: "off"` (as for any suppression). */
const MIN_REASON_LENGTH = 10;

/**
 * `clientAuthentication` checked: required, one of the two modes, a written reason to switch it off.
 * @throws NativeLinkPropError naming both ways to fix a missing or invalid value.
 */
export function resolveClientAuthentication(scope: Construct, value: ClientAuthentication | undefined): ClientAuthentication {
  const fix =
    "publish the client CAs (`npx nativelink-aws certs init --deployment <name>`, then `npx nativelink-aws certs publish --deployment <name> " +
    '--out client-ca` in the app\'s folder), read them with const clientCa = readClientCaDirectory("client-ca") (@nativelink-aws/constructs) ' +
    'and pass clientAuthentication: { mode: "verify", readers: clientCa.readers, writers: clientCa.writers } ' +
    "(NativeLinkDeployment of @nativelink-aws/deployment does this by itself), " +
    'or opt out explicitly with clientAuthentication: { mode: "off", reason: "…" }, which lets every client that reaches the load balancer ' +
    "run actions on the workers and write the action cache";
  const raw = value as { mode?: unknown; reason?: unknown } | undefined;
  if (raw === undefined || raw === null) {
    throw new NativeLinkPropError(scope.node.path, "clientAuthentication", "it is not set, and the endpoints run whatever their clients send", fix);
  }
  if (raw.mode === "off") {
    if (typeof raw.reason !== "string" || raw.reason.trim().length < MIN_REASON_LENGTH) {
      throw new NativeLinkPropError(
        scope.node.path,
        "clientAuthentication.reason",
        `mode "off" needs a written reason of at least ${MIN_REASON_LENGTH} characters`,
        'say why no client needs a certificate, e.g. "reachable only through our VPN (clientCidrs 10.8.0.0/16)"',
      );
    }
    const writersListener = (raw as { writersListener?: unknown }).writersListener;
    if (writersListener !== undefined && typeof writersListener !== "boolean") {
      throw new NativeLinkPropError(
        scope.node.path,
        "clientAuthentication.writersListener",
        `${JSON.stringify(writersListener)} is not a boolean`,
        "true to create the writers' listener without client certificates (every client that reaches it may write action results), or leave it out",
      );
    }
    return { mode: "off", reason: raw.reason.trim(), ...(writersListener === true ? { writersListener } : {}) };
  }
  if (raw.mode !== "verify") {
    throw new NativeLinkPropError(scope.node.path, "clientAuthentication.mode", `${JSON.stringify(raw.mode)} is neither "verify" nor "off"`, fix);
  }
  return value as VerifiedClientAuthentication;
}

/** The PEM blocks of a text, whitespace and line endings normalised. */
function pemBlocks(pem: unknown): string[] {
  if (typeof pem !== "string") return [];
  return [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)].map((match) => `${match[1]}:${match[2]!.replace(/\s+/g, "")}`);
}

/** "bucket/key" of an S3 source's CA bundle (any version: one key is one bundle), or undefined. */
function s3Bundle(source: unknown): string | undefined {
  const location = (source as { caCertificatesS3?: Partial<S3ObjectLocation> } | undefined)?.caCertificatesS3;
  if (typeof location?.bucket !== "string" || typeof location.key !== "string") return undefined;
  // Unknown until Terraform applies (e.g. a pending input's placeholder): no conclusion.
  if (Token.isUnresolved(location.bucket) || Token.isUnresolved(location.key)) return undefined;
  return `${location.bucket}/${location.key}`;
}

/**
 * The writers' trust store must accept fewer clients than the readers': when it accepts every CA the readers' does
 * (the same PEM bundle or S3 object, or a bundle holding all of the readers' CAs), a developer's certificate reaches
 * the writable action cache and the separation of readers and writers is void.
 * @throws NativeLinkPropError naming `<propPath>.writers`.
 */
export function checkWritersNarrower(scope: Construct, propPath: string, sources: ListenerTrustSources): void {
  const readersPem = pemBlocks((sources.readers as Partial<TrustStorePem>).caCertificatesPem);
  const writersPem = new Set(pemBlocks((sources.writers as Partial<TrustStorePem>).caCertificatesPem));
  const readersS3 = s3Bundle(sources.readers);
  const samePem = readersPem.length > 0 && readersPem.every((block) => writersPem.has(block));
  if (!samePem && (readersS3 === undefined || readersS3 !== s3Bundle(sources.writers))) return;
  throw new NativeLinkPropError(
    scope.node.path,
    `${propPath}.writers`,
    `${samePem ? `trusts every CA ${propPath}.readers trusts` : `is the same S3 object as ${propPath}.readers (${readersS3})`}, ` +
      "so every reader's certificate (a developer's) may write action results that every build then trusts",
    'give the writers\' listener a trust store with the CI CA only: readClientCaDirectory("client-ca").writers, which `npx nativelink-aws certs publish` ' +
      "writes beside the readers' bundle (that one holds the developers' and the CI CA)",
  );
}
