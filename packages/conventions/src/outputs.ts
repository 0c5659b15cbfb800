import type { Architecture } from "./fleets.js";

/**
 * The Terraform outputs of a cluster, `<thing>_<attribute>` (terraform-aws-modules' style). The cluster writes them,
 * each behind its `outputPrefix`; `nativelink-aws` reads them from `terraform output -json`.
 */
export const CLUSTER_OUTPUTS = {
  casEndpoint: "cas_endpoint",
  casWritersEndpoint: "cas_writers_endpoint",
  schedulerEndpoint: "scheduler_endpoint",
  schedulerInternalDomainName: "scheduler_internal_domain_name",
  remoteInstanceName: "remote_instance_name",
  bazelFlags: "bazel_flags",
  bazelFlagsCi: "bazel_flags_ci",
  clientCertificateRequired: "client_certificate_required",
  casBucketName: "cas_bucket_name",
  accessLogsBucketName: "access_logs_bucket_name",
  casAutoScalingGroupName: "cas_autoscaling_group_name",
  schedulerAutoScalingGroupName: "scheduler_autoscaling_group_name",
  publicZoneId: "public_zone_id",
  privateZoneId: "private_zone_id",
  loadBalancerDnsName: "load_balancer_dns_name",
  vpcId: "vpc_id",
} as const;
export type ClusterOutputName = (typeof CLUSTER_OUTPUTS)[keyof typeof CLUSTER_OUTPUTS];

/** The output naming a worker fleet's group, e.g. `workers_arm64_autoscaling_group_name`. */
export function workerGroupOutput(architecture: Architecture): string {
  return `workers_${architecture}_autoscaling_group_name`;
}

/** Output names allow letters, digits, underscores and hyphens, starting with a letter or underscore (Terraform's rule). */
export const OUTPUT_PREFIX_PATTERN = /^([A-Za-z_][A-Za-z0-9_-]*)?$/;
