import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import { S3BucketLifecycleConfiguration, type S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy/index.js";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js";
import { Construct } from "constructs";

export interface SecureBucketProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /** Refuse `terraform destroy` while this is true (Terraform `prevent_destroy`). */
  readonly preventDestroy: boolean;
  /** Statements added to the TLS-only bucket policy. */
  readonly extraPolicyStatements?: DataAwsIamPolicyDocumentStatement[];
  /** Lifecycle rules added after the rule that aborts incomplete multipart uploads. */
  readonly lifecycleRules?: S3BucketLifecycleConfigurationRule[];
  /** Days after which an incomplete multipart upload is aborted. */
  readonly abortIncompleteUploadsAfterDays: number;
  readonly tags: Record<string, string>;
}

/**
 * A private S3 bucket: all public access blocked, bucket-owner-enforced ownership (no ACLs), SSE-S3
 * default encryption, a policy that denies plain HTTP, incomplete multipart uploads aborted,
 * `force_destroy = false`. Shared by the CAS bucket and the access-log bucket.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, "Bucket", {
      bucket: props.bucketName,
      forceDestroy: false,
      tags: props.tags,
      lifecycle: { preventDestroy: props.preventDestroy },
    });
    const bucket = this.bucket.id;
    const publicAccess = new S3BucketPublicAccessBlock(this, "PublicAccessBlock", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "Ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    // SSE-S3: ALB access logs support no other encryption, and it costs nothing per request.
    new S3BucketServerSideEncryptionConfigurationA(this, "Encryption", {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
    });
    new S3BucketLifecycleConfiguration(this, "Lifecycle", {
      bucket,
      rule: [
        {
          id: "abort-incomplete-multipart-uploads",
          status: "Enabled",
          filter: [{ prefix: "" }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortIncompleteUploadsAfterDays }],
        },
        ...(props.lifecycleRules ?? []),
      ],
    });
    const policy = new DataAwsIamPolicyDocument(this, "PolicyDocument", {
      statement: [
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["s3:*"],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
        ...(props.extraPolicyStatements ?? []),
      ],
    });
    // The public access block must exist first, or S3 may judge a new policy public.
    this.policy = new S3BucketPolicy(this, "Policy", { bucket, policy: policy.json, dependsOn: [publicAccess] });
  }
}
