// The parts composed by hand, for what NativeLinkDeployment does not cover: here a cluster in a VPC of its own, existing
// AMIs, and one worker fleet. A cluster needs the DNS updater and the autoscaler's drain hooks; synthesis fails without.
import { fileURLToPath } from "node:url";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { NativeLinkImage } from "@nativelink-aws/ami-builder";
import { WorkerAutoscaler } from "@nativelink-aws/autoscaler";
import { NativeLinkChecks, NativeLinkCluster, NativeLinkOperations, readClientCaDirectory } from "@nativelink-aws/constructs";
import { SchedulerDnsRecord } from "@nativelink-aws/dns-lambda";
import { App, Aspects, LocalBackend, TerraformStack, TerraformVariable } from "cdktf";

export function fromParts(app: App): TerraformStack {
  const stack = new TerraformStack(app, "nativelink");
  new LocalBackend(stack, { path: "../../../terraform.nativelink.tfstate" }); // beside main.ts, outside cdktf.out
  new AwsProvider(stack, "aws", {});
  const amiId = (architecture: string) =>
    new TerraformVariable(stack, `ami_id_${architecture}`, { type: "string", description: `AMI id of the ${architecture} NativeLink image.` }).stringValue;

  // example:start images
  // AMIs baked earlier by @nativelink-aws/ami-builder; NativeLinkImage also says which metrics port they serve.
  const images = NativeLinkImage.fromAmiIds(stack, "Images", { x86_64: amiId("x86_64"), arm64: amiId("arm64") });
  // example:end images
  // example:start cluster
  // The client CAs' public half, written by `npx nativelink-aws certs publish --out client-ca`.
  const clientCa = readClientCaDirectory("client-ca", { deployment: "nativelink" });
  const cluster = new NativeLinkCluster(stack, "Cluster", {
    baseDomain: "build.example.com", // an existing public Route 53 hosted zone
    images: images.amiIds,
    workers: { x86_64: { maxVcpus: 64 }, arm64: false },
    // Readers (443) and writers (8443) verify client certificates: developers read, CI also writes the action cache.
    clientAuthentication: { mode: "verify", readers: clientCa.readers, writers: clientCa.writers },
  });
  // example:end cluster

  // example:start scheduler-dns
  // Workers dial scheduler.internal.DOMAIN: this keeps that record on the live scheduler.
  const schedulerDns = new SchedulerDnsRecord(stack, "SchedulerDns", {
    name: cluster.name,
    hostedZoneId: cluster.endpoints.privateZoneId,
    recordName: cluster.endpoints.schedulerInternalDomainName,
    schedulerAutoScalingGroupName: cluster.scheduler.autoScalingGroup.name, // a reference: the first sync waits for the group
  });
  // example:end scheduler-dns

  // example:start autoscaler
  // Scales the worker fleets from the scheduler's metrics, and creates the drain hook the workers complete.
  const workers = cluster.workers.x86_64!.autoScalingGroup;
  const autoscaler = new WorkerAutoscaler(stack, "Autoscaler", {
    name: cluster.name,
    vpcId: cluster.network.vpcId,
    vpcCidrBlock: cluster.network.vpcCidrBlock,
    subnetIds: cluster.network.privateSubnetIds,
    schedulerSecurityGroupId: cluster.securityGroups.scheduler.id,
    feedUrl: `http://${cluster.endpoints.schedulerInternalDomainName}:${images.metricsPort}/metrics`,
    metricsPort: images.metricsPort,
    maxActionTimeoutSeconds: cluster.workerMaxActionTimeoutSeconds, // the drain hooks outlast the longest action
    fleets: { x86_64: { groupName: workers.name, groupArn: workers.arn } },
  });
  // example:end autoscaler

  // example:start operations
  new NativeLinkOperations(stack, "Operations", {
    cluster,
    functionNames: { "scheduler-dns": schedulerDns.functionName, autoscaler: autoscaler.functionName },
    alarmTopic: "create", // or an existing topic's ARN, or false
  });
  // example:end operations
  Aspects.of(stack).add(new NativeLinkChecks());
  return stack;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const app = new App();
  fromParts(app);
  app.synth();
}
