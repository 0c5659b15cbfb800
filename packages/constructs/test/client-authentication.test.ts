import { describe, expect, it } from "vitest";
import { only, resources, synthCluster } from "./synth-helpers.js";

const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

describe("client authentication (mutual TLS)", () => {
  it("is off by default", () => {
    const synth = synthCluster();
    expect(only(synth, "aws_lb_listener").mutual_authentication).toBeUndefined();
    expect(synth.resource.aws_lb_trust_store).toBeUndefined();
    expect(synth.output.client_certificate_required?.value).toBe(false);
  });

  it("verifies client certificates on the one listener that serves both endpoints, from a CA bundle in S3", () => {
    const synth = synthCluster({ clientAuthentication: { caBundleS3Bucket: "my-pki", caBundleS3Key: "nativelink/ca.pem" } });
    const trustStoreId = Object.keys(resources(synth, "aws_lb_trust_store"))[0];
    expect(only(synth, "aws_lb_trust_store")).toMatchObject({ name: "nativelink-clients", ca_certificates_bundle_s3_bucket: "my-pki", ca_certificates_bundle_s3_key: "nativelink/ca.pem" });
    expect(only(synth, "aws_lb_listener").mutual_authentication).toEqual({ mode: "verify", trust_store_arn: `\${aws_lb_trust_store.${trustStoreId}.arn}`, ignore_client_certificate_expiry: false });
    expect(synth.output.client_certificate_required?.value).toBe(true);
  });

  it("stores a PEM bundle in the access-log bucket and builds the trust store from it", () => {
    const synth = synthCluster({ clientAuthentication: { caBundlePem: PEM } });
    const objectId = Object.keys(resources(synth, "aws_s3_object"))[0];
    expect(only(synth, "aws_s3_object")).toMatchObject({ key: "trust-store/ca-bundle.pem", content: PEM, bucket: expect.stringContaining("AccessLogs_Bucket") });
    expect(only(synth, "aws_lb_trust_store")).toMatchObject({ ca_certificates_bundle_s3_bucket: `\${aws_s3_object.${objectId}.bucket}`, ca_certificates_bundle_s3_key: `\${aws_s3_object.${objectId}.key}` });
  });

  it.each([
    [{}, "no CA bundle is given"],
    [{ caBundlePem: PEM, caBundleS3Bucket: "b", caBundleS3Key: "k" }, "both caBundlePem and caBundleS3Bucket/caBundleS3Key are set"],
    [{ caBundleS3Bucket: "b" }, "only one of caBundleS3Bucket and caBundleS3Key is set"],
    [{ caBundlePem: "not a certificate" }, "it holds no PEM certificate"],
  ])("refuses %j: %s", (clientAuthentication, problem) => {
    expect(() => synthCluster({ clientAuthentication })).toThrow(problem);
  });
});
