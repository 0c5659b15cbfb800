import { LbTrustStore } from "@cdktf/provider-aws/lib/lb-trust-store/index.js";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object/index.js";
import { Construct } from "constructs";
import { NativeLinkPropError } from "./errors.js";
import { deploymentTags, physicalName } from "./names.js";

/**
 * Mutual TLS on the load balancer: only clients with a certificate signed by one of your CAs reach
 * the cache and the executor. Give the CA bundle either as PEM text or as an S3 object you manage.
 */
export interface ClientAuthenticationOptions {
  /**
   * PEM text of the CA certificate(s) that sign client certificates; stored in the access-log bucket
   * under `trust-store/`.
   * @default undefined (give caBundleS3Bucket and caBundleS3Key instead)
   */
  readonly caBundlePem?: string;
  /**
   * Bucket of an existing CA bundle object.
   * @default undefined
   */
  readonly caBundleS3Bucket?: string;
  /**
   * Key of an existing CA bundle object.
   * @default undefined
   */
  readonly caBundleS3Key?: string;
}

export interface NativeLinkClientAuthenticationProps extends ClientAuthenticationOptions {
  readonly name: string;
  /** Where `caBundlePem` is stored. */
  readonly bucket: string;
}

/** An ALB trust store from a CA bundle in S3, for `mutual_authentication { mode = "verify" }`. */
export class NativeLinkClientAuthentication extends Construct {
  readonly trustStore: LbTrustStore;

  constructor(scope: Construct, id: string, props: NativeLinkClientAuthenticationProps) {
    super(scope, id);
    const fromPem = props.caBundlePem !== undefined;
    const fromS3 = props.caBundleS3Bucket !== undefined || props.caBundleS3Key !== undefined;
    if (fromPem === fromS3) {
      throw new NativeLinkPropError(scope.node.path, "clientAuthentication", fromPem ? "both caBundlePem and caBundleS3Bucket/caBundleS3Key are set" : "no CA bundle is given", "give caBundlePem, or caBundleS3Bucket with caBundleS3Key");
    }
    if (fromS3 && !(props.caBundleS3Bucket && props.caBundleS3Key)) {
      throw new NativeLinkPropError(scope.node.path, "clientAuthentication", "only one of caBundleS3Bucket and caBundleS3Key is set", "give both the bucket and the key of the CA bundle object");
    }
    if (fromPem && !props.caBundlePem!.includes("-----BEGIN CERTIFICATE-----")) {
      throw new NativeLinkPropError(scope.node.path, "clientAuthentication.caBundlePem", "it holds no PEM certificate", "pass the CA certificate file's text (-----BEGIN CERTIFICATE----- …)");
    }
    let bucket = props.caBundleS3Bucket ?? props.bucket;
    let key = props.caBundleS3Key ?? "trust-store/ca-bundle.pem";
    if (fromPem) {
      const object = new S3Object(this, "CaBundle", { bucket: props.bucket, key, content: props.caBundlePem, contentType: "application/x-pem-file" });
      bucket = object.bucket;
      key = object.key;
    }
    this.trustStore = new LbTrustStore(this, "TrustStore", {
      name: physicalName(props.name, "clients"),
      caCertificatesBundleS3Bucket: bucket,
      caCertificatesBundleS3Key: key,
      tags: deploymentTags(props.name),
    });
  }
}
