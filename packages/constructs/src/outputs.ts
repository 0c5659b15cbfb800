import { CLUSTER_OUTPUTS as O, workerGroupOutput, type Architecture } from "@nativelink-aws/conventions";
import { TerraformOutput } from "./cdktf.js";
import type { NativeLinkCluster } from "./cluster.js";

/** Terraform outputs, named by @nativelink-aws/conventions' `CLUSTER_OUTPUTS` (the CLI reads them by the same names). */
export function addClusterOutputs(cluster: NativeLinkCluster, prefix: string): void {
  const output = (name: string, value: string | boolean, description: string) =>
    new TerraformOutput(cluster, `output-${name}`, { value, description }).overrideLogicalId(`${prefix}${name}`);
  const casEndpoint = `grpcs://${cluster.endpoints.casDomainName}`;
  const schedulerEndpoint = `grpcs://${cluster.endpoints.schedulerDomainName}`;
  const casWritersEndpoint =
    cluster.writersListenerPort === undefined ? undefined : `grpcs://${cluster.endpoints.casDomainName}:${cluster.writersListenerPort}`;
  const common = `--remote_executor=${schedulerEndpoint} --remote_instance_name=${cluster.instanceName}`;
  output(O.casEndpoint, casEndpoint, "Bazel --remote_cache for developers: the readers' listener, the action cache read-only");
  if (casWritersEndpoint !== undefined) {
    output(O.casWritersEndpoint, casWritersEndpoint, "Bazel --remote_cache for CI: the writers' listener (CI certificates only), the action cache writable");
  }
  output(O.schedulerEndpoint, schedulerEndpoint, "Bazel --remote_executor");
  output(O.schedulerInternalDomainName, cluster.endpoints.schedulerInternalDomainName, "Name workers dial for the worker API (private zone)");
  output(O.remoteInstanceName, cluster.instanceName, "Bazel --remote_instance_name");
  // A developer's local results would be refused (read-only action cache): Bazel is told not to upload them.
  output(
    O.bazelFlags,
    `--remote_cache=${casEndpoint} ${common} --remote_upload_local_results=false`,
    "A developer's flags for .bazelrc (prefix each with 'build '), plus the certificate flags: `nativelink-aws bazelrc --role developer` prints them all",
  );
  if (casWritersEndpoint !== undefined) {
    output(
      O.bazelFlagsCi,
      `--remote_cache=${casWritersEndpoint} ${common}`,
      "CI's flags for .bazelrc (prefix each with 'build '), plus the certificate flags: `nativelink-aws bazelrc --role ci` prints them all",
    );
  }
  output(O.clientCertificateRequired, cluster.clientCertificateRequired, "Whether Bazel must pass --tls_client_certificate and --tls_client_key (mutual TLS)");
  output(O.casBucketName, cluster.storage.casBucket.bucket.bucket, "S3 bucket holding the CAS and the action cache");
  output(O.accessLogsBucketName, cluster.storage.accessLogBucket.bucket.bucket, "S3 bucket holding load balancer access logs");
  output(O.casAutoScalingGroupName, cluster.cas.autoScalingGroup.name, "Auto Scaling group of the CAS fleet");
  output(O.schedulerAutoScalingGroupName, cluster.scheduler.autoScalingGroup.name, "Auto Scaling group of the scheduler");
  for (const [architecture, fleet] of Object.entries(cluster.workers)) {
    output(workerGroupOutput(architecture as Architecture), fleet.autoScalingGroup.name, `Auto Scaling group of the ${architecture} workers`);
  }
  output(O.publicZoneId, cluster.endpoints.publicZoneId, "Route 53 public hosted zone of the base domain");
  output(O.privateZoneId, cluster.endpoints.privateZoneId, "Route 53 private hosted zone internal.<base domain>");
  output(O.loadBalancerDnsName, cluster.loadBalancer.loadBalancer.dnsName, "DNS name of the load balancer");
  output(O.vpcId, cluster.network.vpcId, "VPC of the cluster");
}
