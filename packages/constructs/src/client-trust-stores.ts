import { createHash } from "node:crypto";
import { LbTrustStore } from "@cdktf/provider-aws/lib/lb-trust-store/index.js";
import { LbTrustStoreRevocation } from "@cdktf/provider-aws/lib/lb-trust-store-revocation/index.js";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object/index.js";
import { CLIENT_CA_LISTENERS, type ClientCaListener } from "@nativelink-aws/nativelink-config";
import { Construct } from "constructs";
import { Token } from "./cdktf.js";
import { checkWritersNarrower, type ListenerTrustSources, type S3ObjectLocation, type TrustStoreSource } from "./client-authentication.js";
import { NativeLinkPropError } from "./errors.js";
import { deploymentTags, physicalName } from "./names.js";

export interface NativeLinkClientTrustStoresProps {
  readonly name: string;
  /** Where PEM sources are stored (the access-log bucket), under `trust-store/<listener>/`. */
  readonly bucket: string;
  /** Each listener's CA certificates and revocation lists. */
  readonly sources: ListenerTrustSources;
  /** Path of the prop, in error messages. @default "clientAuthentication" */
  readonly propPath?: string;
}

/**
 * One ALB trust store per listener that verifies client certificates (`<name>-readers`, `<name>-writers`), each with
 * its revocation lists (`aws_lb_trust_store_revocation`). PEM text is stored under keys derived from its content, so a
 * new CA bundle reaches its trust store, and a new revocation list replaces the old one, on the next `terraform apply`.
 */
export class NativeLinkClientTrustStores extends Construct {
  readonly trustStores: Readonly<Record<ClientCaListener, LbTrustStore>>;

  constructor(scope: Construct, id: string, props: NativeLinkClientTrustStoresProps) {
    super(scope, id);
    const propPath = props.propPath ?? "clientAuthentication";
    const sources = Object.fromEntries(
      CLIENT_CA_LISTENERS.map((listener) => [listener, checkedSource(scope, `${propPath}.${listener}`, props.sources[listener])]),
    ) as Record<ClientCaListener, TrustStoreSource>;
    checkWritersNarrower(scope, propPath, sources);
    const stores = {} as Record<ClientCaListener, LbTrustStore>;
    for (const listener of CLIENT_CA_LISTENERS) stores[listener] = this.trustStore(listener, sources[listener], props);
    this.trustStores = stores;
  }

  private trustStore(listener: ClientCaListener, source: TrustStoreSource, props: NativeLinkClientTrustStoresProps): LbTrustStore {
    const tags = deploymentTags(props.name);
    // Create the new object before the old one goes: the trust store is modified to the new key in between.
    const stored = (kind: string, pem: string): S3ObjectLocation => {
      const object = new S3Object(this, `${listener}-${kind}`, {
        bucket: props.bucket,
        key: `trust-store/${listener}/${kind}-${contentHash(pem)}.pem`,
        content: pem,
        contentType: "application/x-pem-file",
        tags,
        lifecycle: { createBeforeDestroy: true },
      });
      return { bucket: object.bucket, key: object.key };
    };
    const bundle = "caCertificatesPem" in source ? stored("ca-bundle", source.caCertificatesPem) : source.caCertificatesS3;
    const revocations =
      "caCertificatesPem" in source ? (source.revocationListsPem ?? []).map((pem, index) => stored(`crl-${index}`, pem)) : (source.revocationListsS3 ?? []);
    const trustStore = new LbTrustStore(this, `${listener}-store`, {
      name: physicalName(props.name, listener),
      caCertificatesBundleS3Bucket: bundle.bucket,
      caCertificatesBundleS3Key: bundle.key,
      caCertificatesBundleS3ObjectVersion: bundle.version,
      tags,
    });
    // A revocation list cannot be changed in place: the new one is added before the old one is removed, so no moment
    // passes in which a revoked certificate is accepted again.
    revocations.forEach(
      (revocation, index) =>
        new LbTrustStoreRevocation(this, `${listener}-revocation-${index}`, {
          trustStoreArn: trustStore.arn,
          revocationsS3Bucket: revocation.bucket,
          revocationsS3Key: revocation.key,
          revocationsS3ObjectVersion: revocation.version,
          lifecycle: { createBeforeDestroy: true },
        }),
    );
    return trustStore;
  }
}

/** First 16 hex digits of the SHA-256 of `text`: enough to tell two publications apart. */
function contentHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

const CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
const CRL = /-----BEGIN X509 CRL-----[\s\S]+?-----END X509 CRL-----/;

/** A source with exactly one of PEM text or S3 objects, each of the expected kind; otherwise a NativeLinkPropError. */
function checkedSource(scope: Construct, prop: string, source: TrustStoreSource | undefined): TrustStoreSource {
  const fix = "give { caCertificatesPem, revocationListsPem? } (e.g. from readClientCaDirectory) or { caCertificatesS3: { bucket, key }, revocationListsS3? }";
  const raw = (source ?? {}) as Partial<Record<"caCertificatesPem" | "revocationListsPem" | "caCertificatesS3" | "revocationListsS3", unknown>>;
  const fromPem = raw.caCertificatesPem !== undefined || raw.revocationListsPem !== undefined;
  const fromS3 = raw.caCertificatesS3 !== undefined || raw.revocationListsS3 !== undefined;
  if (fromPem === fromS3)
    throw new NativeLinkPropError(scope.node.path, prop, fromPem ? "it mixes PEM text and S3 objects" : "no CA certificates are given", fix);
  if (fromPem) {
    const pem = raw.caCertificatesPem;
    if (typeof pem !== "string" || (!Token.isUnresolved(pem) && !CERTIFICATE.test(pem))) {
      throw new NativeLinkPropError(
        scope.node.path,
        `${prop}.caCertificatesPem`,
        "it holds no PEM certificate",
        "pass the CA certificate file's text (-----BEGIN CERTIFICATE----- …)",
      );
    }
    const crls = raw.revocationListsPem ?? [];
    if (!Array.isArray(crls))
      throw new NativeLinkPropError(scope.node.path, `${prop}.revocationListsPem`, "it is not a list", "pass a list of CRL texts, or leave it out");
    crls.forEach((crl: unknown, index) => {
      if (typeof crl !== "string" || (!Token.isUnresolved(crl) && !CRL.test(crl))) {
        throw new NativeLinkPropError(
          scope.node.path,
          `${prop}.revocationListsPem[${index}]`,
          "it holds no PEM revocation list",
          "pass a CRL file's text (-----BEGIN X509 CRL----- …), as certs publish writes it",
        );
      }
    });
    return { caCertificatesPem: pem, revocationListsPem: crls as string[] };
  }
  const checkLocation = (value: unknown, path: string): S3ObjectLocation => {
    const location = (value ?? {}) as Partial<S3ObjectLocation>;
    if (typeof location.bucket !== "string" || location.bucket === "" || typeof location.key !== "string" || location.key === "") {
      throw new NativeLinkPropError(
        scope.node.path,
        path,
        "it needs both bucket and key",
        "give { bucket, key } of the object, and version when the bucket is versioned",
      );
    }
    return location as S3ObjectLocation;
  };
  const revocations = raw.revocationListsS3 ?? [];
  if (!Array.isArray(revocations))
    throw new NativeLinkPropError(scope.node.path, `${prop}.revocationListsS3`, "it is not a list", "pass a list of { bucket, key }, or leave it out");
  return {
    caCertificatesS3: checkLocation(raw.caCertificatesS3, `${prop}.caCertificatesS3`),
    revocationListsS3: revocations.map((value: unknown, index) => checkLocation(value, `${prop}.revocationListsS3[${index}]`)),
  };
}
