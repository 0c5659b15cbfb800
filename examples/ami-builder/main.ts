// Baking the images by hand, in the cluster's own VPC: NativeLinkImage builds in the network's image-builder subnet
// (public IPs for the builders only, no ingress), and the cluster boots what it baked. No second VPC.
import { fileURLToPath } from "node:url";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { NativeLinkImage, readImagesLockFile } from "@nativelink-aws/ami-builder";
import { WorkerAutoscaler } from "@nativelink-aws/autoscaler";
import { NativeLinkChecks, NativeLinkCluster, NativeLinkNetwork, readClientCaDirectory } from "@nativelink-aws/constructs";
import { SchedulerDnsRecord } from "@nativelink-aws/dns-lambda";
import { App, Aspects, LocalBackend, TerraformStack } from "cdktf";

export function amiBuilder(app: App): TerraformStack {
  const stack = new TerraformStack(app, "nativelink");
  new LocalBackend(stack, { path: "../../../terraform.nativelink.tfstate" }); // beside main.ts, outside cdktf.out
  new AwsProvider(stack, "aws", {});

  // example:start images
  const network = new NativeLinkNetwork(stack, "Network", { name: "nativelink", imageBuilderSubnet: true });
  const images = new NativeLinkImage(stack, "Images", {
    name: "nativelink", // the deployment name; every physical name derives from it
    vpcId: network.vpcId,
    subnetId: network.imageBuilderSubnetId!, // egress for the downloads; a private subnet needs a NAT gateway
    lock: readImagesLockFile("images.lock.json"), // written by `npx nativelink-aws images lock --out images.lock.json`
  });
  const clientCa = readClientCaDirectory("client-ca"); // written by `npx nativelink-aws certs publish --out client-ca`
  const cluster = new NativeLinkCluster(stack, "Cluster", {
    baseDomain: "build.example.com",
    images: images.amiIds,
    existingNetwork: network, // the same VPC
    clientAuthentication: { mode: "verify", readers: clientCa.readers, writers: clientCa.writers },
  });
  // example:end images

  // The scheduler record and the drain hooks, as in the from-parts example.
  new SchedulerDnsRecord(stack, "SchedulerDns", {
    name: cluster.name,
    hostedZoneId: cluster.endpoints.privateZoneId,
    recordName: cluster.endpoints.schedulerInternalDomainName,
    schedulerAutoScalingGroupName: cluster.scheduler.autoScalingGroup.name,
  });
  const group = (architecture: "x86_64" | "arm64") => ({
    groupName: cluster.workers[architecture]!.autoScalingGroup.name,
    groupArn: cluster.workers[architecture]!.autoScalingGroup.arn,
  });
  new WorkerAutoscaler(stack, "Autoscaler", {
    name: cluster.name,
    vpcId: network.vpcId,
    vpcCidrBlock: network.vpcCidrBlock,
    subnetIds: network.privateSubnetIds,
    schedulerSecurityGroupId: cluster.securityGroups.scheduler.id,
    feedUrl: `http://${cluster.endpoints.schedulerInternalDomainName}:${images.metricsPort}/metrics`,
    metricsPort: images.metricsPort,
    maxActionTimeoutSeconds: cluster.workerMaxActionTimeoutSeconds,
    fleets: { x86_64: group("x86_64"), arm64: group("arm64") },
  });
  Aspects.of(stack).add(new NativeLinkChecks());
  return stack;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const app = new App();
  amiBuilder(app);
  app.synth();
}
