import { Construct } from "constructs";
import { awsContext } from "./aws-context.js";
import { SecureBucket } from "./bucket.js";
import { NativeLinkPropError } from "./errors.js";
import { deploymentTags, physicalName } from "./names.js";

export interface NativeLinkStorageProps {
  /** Deployment name: buckets are `<name>-cas-<account>-<region>` and `<name>-access-logs-<account>-<region>`. */
  readonly name: string;
  /**
   * Terraform `prevent_destroy` on both buckets, the original's protection against losing a cache
   * (or its logs) by accident. To destroy: empty the buckets (`nativelink-aws purge`), set this to
   * false, apply, then destroy.
   * @default true
   */
  readonly preventDestroy?: boolean;
  /**
   * Days after which incomplete multipart uploads are aborted (their parts cost storage).
   * @default 1
   */
  readonly abortIncompleteUploadsAfterDays?: number;
  /**
   * CAS-bucket prefixes whose objects expire a number of days after their last upload.
   * @default [] (nothing expires)
   */
  readonly expiringPrefixes?: { readonly id: string; readonly prefix: string; readonly days: number }[];
  /**
   * Days load balancer access logs are kept.
   * @default 90
   */
  readonly accessLogRetentionDays?: number;
  /**
   * Key prefix of load balancer access logs in the access-log bucket.
   * @default "alb"
   */
  readonly accessLogPrefix?: string;
}

/** The CAS bucket and the load balancer access-log bucket. */
export class NativeLinkStorage extends Construct {
  readonly casBucket: SecureBucket;
  readonly accessLogBucket: SecureBucket;
  readonly accessLogPrefix: string;

  constructor(scope: Construct, id: string, props: NativeLinkStorageProps) {
    super(scope, id);
    const preventDestroy = props.preventDestroy ?? true;
    const abortIncompleteUploadsAfterDays = props.abortIncompleteUploadsAfterDays ?? 1;
    if (!Number.isInteger(abortIncompleteUploadsAfterDays) || abortIncompleteUploadsAfterDays < 1) {
      throw new NativeLinkPropError(
        this.node.path,
        "abortIncompleteUploadsAfterDays",
        `${abortIncompleteUploadsAfterDays} is not a whole number of days ≥ 1`,
        "use 1 (the default) or more",
      );
    }
    this.accessLogPrefix = props.accessLogPrefix ?? "alb";
    const accessLogRetentionDays = props.accessLogRetentionDays ?? 90;
    if (!Number.isInteger(accessLogRetentionDays) || accessLogRetentionDays < 1) {
      throw new NativeLinkPropError(
        this.node.path,
        "accessLogRetentionDays",
        `${accessLogRetentionDays} is not a whole number of days ≥ 1`,
        "use 90 (the default) or another number of days",
      );
    }
    const { accountId, region, partition } = awsContext(this);
    const tags = deploymentTags(props.name);
    const globallyUnique = (thing: string) => `${physicalName(props.name, thing)}-${accountId}-${region}`;

    this.casBucket = new SecureBucket(this, "Cas", {
      bucketName: globallyUnique("cas"),
      preventDestroy,
      abortIncompleteUploadsAfterDays,
      tags: { ...tags, "nativelink:bucket": "cas" },
      lifecycleRules: (props.expiringPrefixes ?? []).map(({ id, prefix, days }) => ({ id, status: "Enabled", filter: [{ prefix }], expiration: [{ days }] })),
    });
    const logBucketArn = `arn:${partition}:s3:::${globallyUnique("access-logs")}`;
    this.accessLogBucket = new SecureBucket(this, "AccessLogs", {
      bucketName: globallyUnique("access-logs"),
      preventDestroy,
      abortIncompleteUploadsAfterDays,
      tags: { ...tags, "nativelink:bucket": "access-logs" },
      lifecycleRules: [
        { id: "expire-access-logs", status: "Enabled", filter: [{ prefix: `${this.accessLogPrefix}/` }], expiration: [{ days: accessLogRetentionDays }] },
      ],
      extraPolicyStatements: [
        {
          // The current mechanism: the ELB log-delivery service principal, not per-region ELB account ids.
          sid: "AllowLoadBalancerLogDelivery",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["logdelivery.elasticloadbalancing.amazonaws.com"] }],
          actions: ["s3:PutObject"],
          resources: [`${logBucketArn}/${this.accessLogPrefix}/AWSLogs/${accountId}/*`],
        },
      ],
    });
  }
}
