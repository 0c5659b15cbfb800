// A half-wired cluster fails synthesis, naming the fix, even without NativeLinkChecks; the fix or a suppression clears it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AutoscalingLifecycleHook } from "@cdktf/provider-aws/lib/autoscaling-lifecycle-hook/index.js";
import { ImagebuilderImage } from "@cdktf/provider-aws/lib/imagebuilder-image/index.js";
import { ImagebuilderInfrastructureConfiguration } from "@cdktf/provider-aws/lib/imagebuilder-infrastructure-configuration/index.js";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record/index.js";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { App, Aspects, TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { NativeLinkChecks } from "../src/checks/native-link-checks.js";
import { suppressCheck } from "../src/checks/suppressions.js";
import { NativeLinkCluster } from "../src/cluster.js";
import { NativeLinkNetwork } from "../src/network.js";
import { clusterStack, TEST_CLIENT_AUTHENTICATION } from "./synth-helpers.js";

const app = () => new App({ outdir: mkdtempSync(join(tmpdir(), "wiring-")) });
const clusterIn = (stack: ReturnType<typeof clusterStack>) => stack.node.findChild("Cluster") as NativeLinkCluster;

/** The message app.synth() fails with ("" when it succeeds). */
function synthError(root: App): string {
  try {
    root.synth();
    return "";
  } catch (error) {
    return String(error);
  }
}

/** What SchedulerDnsRecord and WorkerAutoscaler provide, written as plain resources. */
function wireByHand(cluster: NativeLinkCluster): void {
  new Route53Record(cluster, "SchedulerRecord", {
    zoneId: cluster.endpoints.privateZoneId,
    name: cluster.endpoints.schedulerInternalDomainName,
    type: "A",
    ttl: 30,
    records: ["10.0.8.10"],
  });
  for (const [architecture, fleet] of Object.entries(cluster.workers)) {
    new AutoscalingLifecycleHook(cluster, `Drain-${architecture}`, {
      name: "nativelink-drain",
      autoscalingGroupName: fleet.autoScalingGroup.name,
      lifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
      heartbeatTimeout: 3600,
    });
  }
}

describe("a cluster validates its own wiring at synthesis", () => {
  it("fails app.synth() for a cluster alone: no writer of the scheduler record, no drain hook; the message names the fix", () => {
    const root = app();
    clusterStack({}, root);
    const message = synthError(root);
    expect(message).toContain(
      "[test/Cluster] [NL-DNS-1] The scheduler host the workers dial has a writer: nothing in the stack writes scheduler.internal.build.example.com",
    );
    expect(message).toContain("Fix: add SchedulerDnsRecord from @nativelink-aws/dns-lambda with hostedZoneId = cluster.endpoints.privateZoneId");
    expect(message).toContain("or use NativeLinkDeployment from @nativelink-aws/deployment");
    expect(message).toContain("[NL-ASG-1] The drain hook the workers complete exists on their group: the group has no lifecycle hook nativelink-drain");
    expect(message).toContain("Fix: add WorkerAutoscaler from @nativelink-aws/autoscaler");
    expect(message.match(/\[NL-DNS-1\]/g)).toHaveLength(2);
    expect(message.match(/\[NL-ASG-1\]/g)).toHaveLength(2);
  });

  it("fails Testing.fullSynth too, but not Testing.synth (which skips validations unless asked)", () => {
    expect(() => Testing.fullSynth(clusterStack())).toThrow(/NL-DNS-1/);
    expect(() => Testing.synth(clusterStack())).not.toThrow();
    expect(() => Testing.synth(clusterStack(), true)).toThrow(/NL-ASG-1/);
  });

  it("leaves the check to NativeLinkChecks when the stack has it: synthesis fails on its error annotations, one per resource", () => {
    const root = app();
    const stack = clusterStack({}, root);
    Aspects.of(stack).add(new NativeLinkChecks());
    const message = synthError(root);
    expect(message).toContain("[test/Cluster/workers-x86_64/LaunchTemplate] [NL-DNS-1] The scheduler host the workers dial has a writer");
    expect(message.match(/\[NL-DNS-1\]/g)).toHaveLength(2);
  });

  it("passes once the record and the hooks exist, however they are written", () => {
    const root = app();
    wireByHand(clusterIn(clusterStack({}, root)));
    expect(() => root.synth()).not.toThrow();
  });

  it("passes when the user suppresses a rule with a reason (the record is written outside this stack)", () => {
    const root = app();
    const cluster = clusterIn(clusterStack({}, root));
    suppressCheck(cluster, "NL-DNS-1", "our DNS automation writes scheduler.internal from the scheduler group's events");
    suppressCheck(cluster, "NL-ASG-1", "a separate stack owns the worker groups' lifecycle hooks");
    expect(() => root.synth()).not.toThrow();
  });

  it("asks nothing of a cluster without workers (cache only)", () => {
    const root = app();
    clusterStack({ workers: { x86_64: false, arm64: false } }, root);
    expect(() => root.synth()).not.toThrow();
  });

  it("fails when the images it boots are baked in a subnet without egress", () => {
    const root = app();
    const stack = new TerraformStack(root, "baked");
    new AwsProvider(stack, "aws", {});
    const network = new NativeLinkNetwork(stack, "Network", { name: "nativelink" });
    const builders = new ImagebuilderInfrastructureConfiguration(stack, "Builders", {
      name: "b",
      instanceProfileName: "p",
      subnetId: network.privateSubnetIds[0],
    });
    const ami = new ImagebuilderImage(stack, "Bake", { imageRecipeArn: "arn:recipe", infrastructureConfigurationArn: builders.arn }).outputResources
      .get(0)
      .amis.get(0).image;
    new NativeLinkCluster(stack, "Cluster", {
      baseDomain: "build.example.com",
      images: { x86_64: ami, arm64: ami },
      existingNetwork: network,
      workers: { x86_64: false, arm64: false },
      clientAuthentication: TEST_CLIENT_AUTHENTICATION,
    });
    expect(() => root.synth()).toThrow(
      new RegExp(
        "\\[baked\\/Cluster\\] \\[NL-IB-1\\] Image Builder instances can reach the internet: its subnet " +
          "has no route to the internet.*aws_imagebuilder_infrastructure_configuration\\.Builders",
        "s",
      ),
    );
  });
});
