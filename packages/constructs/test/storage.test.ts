import { describe, expect, it } from "vitest";
import { resources, synthCluster } from "./synth-helpers.js";

describe("storage", () => {
  const synth = synthCluster();
  const buckets = resources(synth, "aws_s3_bucket");
  const bucketIds = Object.keys(buckets);
  const forBucket = (type: string) => Object.values(resources(synth, type));

  it("creates the CAS and access-log buckets, named from the deployment, account and region", () => {
    const names = Object.values(buckets)
      .map((bucket) => bucket.bucket)
      .sort();
    expect(names).toEqual([
      expect.stringMatching(
        /^nativelink-access-logs-\$\{data\.aws_caller_identity\.NativeLinkCallerIdentity\.account_id\}-\$\{data\.aws_region\.NativeLinkRegion\.region\}$/,
      ),
      expect.stringMatching(
        /^nativelink-cas-\$\{data\.aws_caller_identity\.NativeLinkCallerIdentity\.account_id\}-\$\{data\.aws_region\.NativeLinkRegion\.region\}$/,
      ),
    ]);
  });

  it("keeps force_destroy off and Terraform prevent_destroy on (the original's protection)", () => {
    for (const bucket of Object.values(buckets)) {
      expect(bucket.force_destroy).toBe(false);
      expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
    }
  });

  it("lets prevent_destroy be turned off for a planned destroy", () => {
    const unprotected = resources(synthCluster({ preventBucketDestroy: false }), "aws_s3_bucket");
    for (const bucket of Object.values(unprotected)) expect(bucket.lifecycle).toEqual({ prevent_destroy: false });
  });

  it("blocks all public access on both buckets", () => {
    const blocks = forBucket("aws_s3_bucket_public_access_block");
    expect(blocks).toHaveLength(2);
    for (const block of blocks) {
      expect(block).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    }
    expect(blocks.map((block) => block.bucket).sort()).toEqual(bucketIds.map((id) => `\${aws_s3_bucket.${id}.id}`).sort());
  });

  it("enforces bucket-owner ownership (no ACLs) and default encryption", () => {
    for (const ownership of forBucket("aws_s3_bucket_ownership_controls")) expect(ownership.rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    for (const encryption of forBucket("aws_s3_bucket_server_side_encryption_configuration")) {
      expect(encryption.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" }, bucket_key_enabled: true }]);
    }
  });

  it("aborts incomplete multipart uploads", () => {
    for (const lifecycle of forBucket("aws_s3_bucket_lifecycle_configuration")) {
      expect(lifecycle.rule).toContainEqual(expect.objectContaining({ status: "Enabled", abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }] }));
    }
  });

  it("denies every request that does not use TLS", () => {
    const documents = Object.values(synth.data.aws_iam_policy_document ?? {}).filter((doc) =>
      (doc.statement as { sid?: string }[]).some((statement) => statement.sid === "DenyInsecureTransport"),
    );
    expect(documents).toHaveLength(2);
    for (const doc of documents) {
      expect((doc.statement as unknown[])[0]).toMatchObject({
        effect: "Deny",
        actions: ["s3:*"],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      });
    }
    expect(forBucket("aws_s3_bucket_policy")).toHaveLength(2);
  });

  it("grants load balancer log delivery to the ELB log-delivery service principal, on the log prefix only", () => {
    const statements = Object.values(synth.data.aws_iam_policy_document ?? {}).flatMap((doc) => doc.statement as Record<string, unknown>[]);
    const delivery = statements.find((statement) => statement.sid === "AllowLoadBalancerLogDelivery")!;
    expect(delivery.principals).toEqual([{ type: "Service", identifiers: ["logdelivery.elasticloadbalancing.amazonaws.com"] }]);
    expect(delivery.actions).toEqual(["s3:PutObject"]);
    expect(delivery.resources).toEqual([
      expect.stringMatching(/:s3:::nativelink-access-logs-.*\/alb\/AWSLogs\/\$\{data\.aws_caller_identity\.NativeLinkCallerIdentity\.account_id\}\/\*$/),
    ]);
  });
});
