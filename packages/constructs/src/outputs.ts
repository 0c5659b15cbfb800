import { TerraformOutput } from "./cdktf.js";
import type { NativeLinkCluster } from "./cluster.js";

/** Terraform outputs named `<thing>_<attribute>`, as terraform-aws-modules does. */
export function addClusterOutputs(cluster: NativeLinkCluster, prefix: string): void {
  const output = (name: string, value: string | boolean, description: string) =>
    new TerraformOutput(cluster, `output-${name}`, { value, description }).overrideLogicalId(`${prefix}${name}`);
  const casEndpoint = `grpcs://${cluster.endpoints.casDomainName}`;
  const schedulerEndpoint = `grpcs://${cluster.endpoints.schedulerDomainName}`;
  const casWritersEndpoint =
    cluster.writersListenerPort === undefined ? undefined : `grpcs://${cluster.endpoints.casDomainName}:${cluster.writersListenerPort}`;
  const common = `--remote_executor=${schedulerEndpoint} --remote_instance_name=${cluster.instanceName}`;
  output("cas_endpoint", casEndpoint, "Bazel --remote_cache for developers: the readers' listener, the action cache read-only");
  if (casWritersEndpoint !== undefined) {
    output("cas_writers_endpoint", casWritersEndpoint, "Bazel --remote_cache for CI: the writers' listener (CI certificates only), the action cache writable");
  }
  output("scheduler_endpoint", schedulerEndpoint, "Bazel --remote_executor");
  output("scheduler_internal_domain_name", cluster.endpoints.schedulerInternalDomainName, "Name workers dial for the worker API (private zone)");
  output("remote_instance_name", cluster.instanceName, "Bazel --remote_instance_name");
  // A developer's local results would be refused (read-only action cache): Bazel is told not to upload them.
  output(
    "bazel_flags",
    `--remote_cache=${casEndpoint} ${common} --remote_upload_local_results=false`,
    "A developer's flags for .bazelrc (prefix each with 'build '), plus the certificate flags: `nativelink-aws bazelrc --role developer` prints them all",
  );
  if (casWritersEndpoint !== undefined) {
    output(
      "bazel_flags_ci",
      `--remote_cache=${casWritersEndpoint} ${common}`,
      "CI's flags for .bazelrc (prefix each with 'build '), plus the certificate flags: `nativelink-aws bazelrc --role ci` prints them all",
    );
  }
  output(
    "client_certificate_required",
    cluster.clientCertificateRequired,
    "Whether Bazel must pass --tls_client_certificate and --tls_client_key (mutual TLS)",
  );
  output("cas_bucket_name", cluster.storage.casBucket.bucket.bucket, "S3 bucket holding the CAS and the action cache");
  output("access_logs_bucket_name", cluster.storage.accessLogBucket.bucket.bucket, "S3 bucket holding load balancer access logs");
  output("cas_autoscaling_group_name", cluster.cas.autoScalingGroup.name, "Auto Scaling group of the CAS fleet");
  output("scheduler_autoscaling_group_name", cluster.scheduler.autoScalingGroup.name, "Auto Scaling group of the scheduler");
  for (const [architecture, fleet] of Object.entries(cluster.workers)) {
    output(`workers_${architecture}_autoscaling_group_name`, fleet.autoScalingGroup.name, `Auto Scaling group of the ${architecture} workers`);
  }
  output("public_zone_id", cluster.endpoints.publicZoneId, "Route 53 public hosted zone of the base domain");
  output("private_zone_id", cluster.endpoints.privateZoneId, "Route 53 private hosted zone internal.<base domain>");
  output("load_balancer_dns_name", cluster.loadBalancer.loadBalancer.dnsName, "DNS name of the load balancer");
  output("vpc_id", cluster.network.vpcId, "VPC of the cluster");
}
