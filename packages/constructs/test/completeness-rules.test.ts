// The completeness rules, each with compliant and non-compliant stacks (the style of checks-rules.test.ts).
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group/index.js";
import { AutoscalingLifecycleHook } from "@cdktf/provider-aws/lib/autoscaling-lifecycle-hook/index.js";
import { DataAwsAmi } from "@cdktf/provider-aws/lib/data-aws-ami/index.js";
import { ImagebuilderImage } from "@cdktf/provider-aws/lib/imagebuilder-image/index.js";
import { ImagebuilderInfrastructureConfiguration } from "@cdktf/provider-aws/lib/imagebuilder-infrastructure-configuration/index.js";
import { Instance } from "@cdktf/provider-aws/lib/instance/index.js";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway/index.js";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function/index.js";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template/index.js";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record/index.js";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone/index.js";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table/index.js";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association/index.js";
import { Subnet } from "@cdktf/provider-aws/lib/subnet/index.js";
import { Fn, TerraformVariable, type TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { drainHookExists } from "../src/checks/rules/drain-hook.js";
import { imageBuilderEgress } from "../src/checks/rules/image-builder-egress.js";
import { imageBuilderSubnetKnown } from "../src/checks/rules/image-builder-subnet-known.js";
import { imagePending } from "../src/checks/rules/image-pending.js";
import { imageSourceExists } from "../src/checks/rules/image-source.js";
import { DNS_RECORD_WRITER_TAG, schedulerHostWriter } from "../src/checks/rules/scheduler-host-writer.js";
import { warmPoolLaunchHook } from "../src/checks/rules/warm-pool-hook.js";
import { NativeLinkNetwork } from "../src/network.js";
import { PendingInput } from "../src/pending-input.js";
import { terraformBase64 } from "../src/terraform-strings.js";
import { checkedStack, findingsOf, problemsOf } from "./checks-helpers.js";

const roleEnv = (lines: Record<string, string>) =>
  Object.entries(lines)
    .map(([key, value]) => `${key}=${value}`)
    .join("\n");
const worker = (stack: TerraformStack, id: string, lines: Record<string, string>, userData = terraformBase64(`#!/bin/bash\n${roleEnv(lines)}\n`)) =>
  new LaunchTemplate(stack, id, { imageId: "ami-0123456789abcdef0", userData });
const groupOf = (stack: TerraformStack, id: string, template: LaunchTemplate, extra: Partial<ConstructorParameters<typeof AutoscalingGroup>[2]> = {}) =>
  new AutoscalingGroup(stack, id, {
    name: id,
    minSize: 0,
    maxSize: 1,
    mixedInstancesPolicy: { launchTemplate: { launchTemplateSpecification: { launchTemplateId: template.id }, override: [{ instanceType: "c6gd.medium" }] } },
    ...extra,
  });
const HOST = "scheduler.internal.example.com";

describe("NL-DNS-1 the scheduler host has a writer", () => {
  it("is satisfied by a record of that name, absolute or relative to its zone, or a tagged writer", () => {
    expect(
      problemsOf(schedulerHostWriter, (s) => {
        worker(s, "workers", { NATIVELINK_SCHEDULER_HOST: HOST });
        new Route53Record(s, "record", { zoneId: "Z1", name: `${HOST}.`, type: "A", ttl: 30, records: ["10.0.0.1"] });
      }),
    ).toEqual([]);
    expect(
      problemsOf(schedulerHostWriter, (s) => {
        worker(s, "workers", { NATIVELINK_SCHEDULER_HOST: HOST });
        const zone = new Route53Zone(s, "zone", { name: "internal.example.com" });
        new Route53Record(s, "record", { zoneId: zone.zoneId, name: "scheduler", type: "A", ttl: 30, records: ["10.0.0.1"] });
      }),
    ).toEqual([]);
    expect(
      problemsOf(schedulerHostWriter, (s) => {
        const domain = new TerraformVariable(s, "base_domain", { type: "string" }).stringValue;
        worker(s, "workers", { NATIVELINK_SCHEDULER_HOST: `scheduler.internal.${domain}` });
        new LambdaFunction(s, "writer", { functionName: "w", role: "r", tags: { [DNS_RECORD_WRITER_TAG]: `scheduler.internal.${domain}` } });
      }),
    ).toEqual([]);
  });

  it("wants SchedulerDnsRecord's function to write into the zone the name belongs to: the private zone, not the public one", () => {
    const withWriterIn = (zone: "private" | "public") =>
      problemsOf(schedulerHostWriter, (s) => {
        const domain = new TerraformVariable(s, "base_domain", { type: "string" }).stringValue;
        worker(s, "workers", { NATIVELINK_SCHEDULER_HOST: `scheduler.internal.${domain}` });
        const zones = {
          private: new Route53Zone(s, "private", { name: `internal.${domain}`, vpc: [{ vpcId: "vpc-0123456789abcdef0" }] }),
          public: new Route53Zone(s, "public", { name: domain }),
        };
        new LambdaFunction(s, "writer", {
          functionName: "w",
          role: "r",
          environment: { variables: { HOSTED_ZONE_ID: zones[zone].zoneId, RECORD_NAME: `scheduler.internal.${domain}` } },
          tags: { [DNS_RECORD_WRITER_TAG]: `scheduler.internal.${domain}` },
        });
      });
    expect(withWriterIn("private")).toEqual([]);
    expect(withWriterIn("public")).toEqual([
      "aws_launch_template.workers: aws_lambda_function.writer writes scheduler.internal.${var.base_domain} into aws_route53_zone.public " +
        "(${var.base_domain}), but the name belongs to aws_route53_zone.private (internal.${var.base_domain}), so the workers never see the record",
    ]);
  });

  it("reads user data written with Fn.base64encode, as literal base64 and as plain text", () => {
    const userData = {
      template: Fn.base64encode(`#!/bin/bash\nNATIVELINK_SCHEDULER_HOST=${HOST}\n`),
      base64: Buffer.from(`#!/bin/bash\nNATIVELINK_SCHEDULER_HOST=${HOST}\n`).toString("base64"),
      plain: `#!/bin/bash\nNATIVELINK_SCHEDULER_HOST=${HOST}\n`,
    };
    for (const [id, value] of Object.entries(userData)) {
      expect(problemsOf(schedulerHostWriter, (s) => worker(s, id, {}, value))).toEqual([
        `aws_launch_template.${id}: nothing in the stack writes ${HOST}, the NATIVELINK_SCHEDULER_HOST of its user data`,
      ]);
    }
  });

  it("finds a host nobody writes, even with a record of another name; ignores user data without a host", () => {
    expect(
      problemsOf(schedulerHostWriter, (s) => {
        worker(s, "workers", { NATIVELINK_SCHEDULER_HOST: HOST });
        worker(s, "cas", { NATIVELINK_ROLE: "cas" });
        new Route53Record(s, "record", { zoneId: "Z1", name: "other.internal.example.com", type: "A", ttl: 30, records: ["10.0.0.1"] });
      }),
    ).toEqual([`aws_launch_template.workers: nothing in the stack writes ${HOST}, the NATIVELINK_SCHEDULER_HOST of its user data`]);
  });
});

describe("NL-ASG-1 the drain hook exists on the group", () => {
  const hookLines = { NATIVELINK_LIFECYCLE_HOOK: "nativelink-drain" };

  it("is satisfied by a terminating hook of that name on the group, or an initial lifecycle hook", () => {
    expect(
      problemsOf(drainHookExists, (s) => {
        const group = groupOf(s, "workers", worker(s, "template", hookLines));
        new AutoscalingLifecycleHook(s, "hook", {
          name: "nativelink-drain",
          autoscalingGroupName: group.name,
          lifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
        });
      }),
    ).toEqual([]);
    expect(
      problemsOf(drainHookExists, (s) => {
        const template = worker(s, "template", hookLines);
        groupOf(s, "workers", template, {
          mixedInstancesPolicy: undefined,
          launchTemplate: { id: template.id },
          initialLifecycleHook: [{ name: "nativelink-drain", lifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING" }],
        });
      }),
    ).toEqual([]);
  });

  it("finds a missing hook, a hook on another group and a hook on the wrong transition", () => {
    expect(
      problemsOf(drainHookExists, (s) => {
        groupOf(s, "bare", worker(s, "bareTemplate", hookLines));
        groupOf(s, "launching", worker(s, "launchingTemplate", hookLines));
        new AutoscalingLifecycleHook(s, "wrong", {
          name: "nativelink-drain",
          autoscalingGroupName: "launching",
          lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
        });
        new AutoscalingLifecycleHook(s, "elsewhere", {
          name: "nativelink-drain",
          autoscalingGroupName: "another-group",
          lifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
        });
        groupOf(s, "cas", worker(s, "casTemplate", { NATIVELINK_ROLE: "cas" }));
      }),
    ).toEqual([
      "aws_autoscaling_group.bare: the group has no lifecycle hook nativelink-drain, the NATIVELINK_LIFECYCLE_HOOK of its launch template's user data",
      "aws_autoscaling_group.launching: its lifecycle hook nativelink-drain is not on autoscaling:EC2_INSTANCE_TERMINATING",
    ]);
  });
});

describe("NL-AMI-1 / NL-AMI-2 every image has a source", () => {
  const template = (s: TerraformStack, id: string, imageId: string) => new LaunchTemplate(s, id, { imageId });

  it("accepts an AMI id, a variable, a data source, a bake; no image_id is not its business", () => {
    expect(
      problemsOf(imageSourceExists, (s) => {
        template(s, "literal", "ami-0123456789abcdef0");
        template(s, "variable", new TerraformVariable(s, "ami", { type: "string" }).stringValue);
        template(s, "data", new DataAwsAmi(s, "ubuntu", { mostRecent: true, owners: ["099720109477"] }).id);
        const bake = new ImagebuilderImage(s, "bake", { imageRecipeArn: "arn:recipe", infrastructureConfigurationArn: "arn:infrastructure" });
        template(s, "baked", bake.outputResources.get(0).amis.get(0).image);
        new LaunchTemplate(s, "none", {});
      }),
    ).toEqual([]);
  });

  it("refuses what is not an AMI, and reports a pending image as a warning only", () => {
    expect(
      problemsOf(imageSourceExists, (s) => {
        template(s, "word", "ubuntu-latest");
        template(s, "instance", new Instance(s, "box", { ami: "ami-0123456789abcdef0", instanceType: "t3.micro" }).id);
        const pending = new PendingInput(s, "Images", { message: "No images lock file at images.lock.json: run the lock command, then synthesize again." });
        template(s, "pending", pending.value);
      }),
    ).toEqual([
      "aws_launch_template.instance: image_id ${aws_instance.box.id} comes from nothing that provides an AMI",
      'aws_launch_template.word: image_id "ubuntu-latest" is not an AMI id (ami-…)',
    ]);
    expect(
      problemsOf(imagePending, (s) => {
        const pending = new PendingInput(s, "Images", { message: "No images lock file at images.lock.json: run the lock command, then synthesize again." });
        template(s, "pending", pending.value);
        template(s, "literal", "ami-0123456789abcdef0");
      }),
    ).toEqual(["aws_launch_template.pending: its image is pending"]); // problemsOf keeps a message's first clause
    const stack = checkedStack();
    const pending = new PendingInput(stack, "Images", { message: "No images lock file at images.lock.json: run the lock command, then synthesize again." });
    template(stack, "pending", pending.value);
    expect(findingsOf(stack, [imagePending]).map((finding) => finding.message)).toEqual([
      "[NL-AMI-2] No launch template waits for a pending image: its image is pending: No images lock file at images.lock.json: run the lock command, " +
        "then synthesize again. The image is a pending input (PendingInput): terraform plan stops at its guard until the missing input is provided. " +
        "Fix: do what the message says, then synthesize again.",
    ]);
  });
});

describe("NL-IB-1 / NL-IB-2 builders have egress", () => {
  const builder = (s: TerraformStack, id: string, subnetId?: string) =>
    new ImagebuilderInfrastructureConfiguration(s, id, { name: id, instanceProfileName: "profile", subnetId });

  it("accepts the network's image-builder subnet and private subnets behind a NAT gateway", () => {
    expect(
      problemsOf(imageBuilderEgress, (s) => {
        const network = new NativeLinkNetwork(s, "Network", { name: "nativelink", imageBuilderSubnet: true });
        builder(s, "public", network.imageBuilderSubnetId);
        const natted = new NativeLinkNetwork(s, "Natted", { name: "natted", natGateway: true });
        builder(s, "nat", natted.privateSubnetIds[0]);
      }),
    ).toEqual([]);
  });

  it("refuses a private subnet without NAT (the old ami-builder README) and an internet gateway without public IPs", () => {
    expect(
      problemsOf(imageBuilderEgress, (s) => {
        const network = new NativeLinkNetwork(s, "Network", { name: "nativelink" });
        builder(s, "private", network.privateSubnetIds[0]);
        const igw = new InternetGateway(s, "igw", { vpcId: network.vpcId });
        const routes = new RouteTable(s, "routes", { vpcId: network.vpcId, route: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }] });
        const subnet = new Subnet(s, "noPublicIps", { vpcId: network.vpcId, cidrBlock: "10.0.200.0/24" });
        new RouteTableAssociation(s, "association", { subnetId: subnet.id, routeTableId: routes.id });
        builder(s, "gateway", subnet.id);
      }),
    ).toEqual([
      "aws_imagebuilder_infrastructure_configuration.gateway: its subnet routes to " +
        "an internet gateway but gives instances no public IP (map_public_ip_on_launch)",
      "aws_imagebuilder_infrastructure_configuration.private: its subnet has no route " +
        "to the internet (no 0.0.0.0/0 route to a NAT gateway or an internet gateway)",
    ]);
  });

  it("warns about a subnet the stack does not create, or none", () => {
    const unknown = (s: TerraformStack) => {
      builder(s, "literal", "subnet-0123456789abcdef0");
      builder(s, "default");
    };
    expect(problemsOf(imageBuilderEgress, unknown)).toEqual([]);
    expect(problemsOf(imageBuilderSubnetKnown, unknown)).toEqual([
      "aws_imagebuilder_infrastructure_configuration.default: no subnet_id",
      "aws_imagebuilder_infrastructure_configuration.literal: subnet subnet-0123456789abcdef0 is not created in this stack, so its egress cannot be checked",
    ]);
  });
});

describe("NL-ASG-2 a warm pool holds NativeLink instances in their launch hook", () => {
  const warm = { NATIVELINK_ROLE: "worker", NATIVELINK_LAUNCH_HOOK: "nativelink-launch" };
  const single = (template: LaunchTemplate) => ({ mixedInstancesPolicy: undefined, launchTemplate: { id: template.id } });

  it("is satisfied by the launch hook user data names, initial or separate; a group without a warm pool is not its business", () => {
    expect(
      problemsOf(warmPoolLaunchHook, (s) => {
        const initial = worker(s, "initialTemplate", warm);
        groupOf(s, "initial", initial, {
          ...single(initial),
          warmPool: { minSize: 1 },
          initialLifecycleHook: [{ name: "nativelink-launch", lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING" }],
        });
        const separate = worker(s, "separateTemplate", warm);
        const group = groupOf(s, "separate", separate, { ...single(separate), warmPool: { minSize: 1 } });
        new AutoscalingLifecycleHook(s, "hook", {
          name: "nativelink-launch",
          autoscalingGroupName: group.name,
          lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
        });
        groupOf(s, "cold", worker(s, "coldTemplate", { NATIVELINK_ROLE: "worker" }));
        const foreign = worker(s, "foreignTemplate", {});
        groupOf(s, "foreign", foreign, { ...single(foreign), warmPool: { minSize: 1 } });
      }),
    ).toEqual([]);
  });

  it("finds a warm pool without the role.env line, without the hook, or beside a mixed instances policy", () => {
    expect(
      problemsOf(warmPoolLaunchHook, (s) => {
        const unnamed = worker(s, "unnamedTemplate", { NATIVELINK_ROLE: "worker" });
        groupOf(s, "unnamed", unnamed, { ...single(unnamed), warmPool: { minSize: 1 } });
        const unhooked = worker(s, "unhookedTemplate", warm);
        groupOf(s, "unhooked", unhooked, {
          ...single(unhooked),
          warmPool: { minSize: 1 },
          initialLifecycleHook: [{ name: "nativelink-launch", lifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING" }],
        });
        groupOf(s, "mixed", worker(s, "mixedTemplate", warm), {
          warmPool: { minSize: 1 },
          initialLifecycleHook: [{ name: "nativelink-launch", lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING" }],
        });
      }),
    ).toEqual([
      "aws_autoscaling_group.mixed: it has a warm pool and a mixed instances policy, which Auto Scaling refuses",
      "aws_autoscaling_group.unhooked: it has a warm pool, but no lifecycle hook nativelink-launch (its NATIVELINK_LAUNCH_HOOK) " +
        "on autoscaling:EC2_INSTANCE_LAUNCHING",
      "aws_autoscaling_group.unnamed: it has a warm pool, but its launch template's user data names no NATIVELINK_LAUNCH_HOOK, " +
        "so NativeLink would start in the pool",
    ]);
  });

  it("wants a pool that reuses instances on scale-in to return workers through the drain hook their user data names", () => {
    const launchHook = [{ name: "nativelink-launch", lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING" }];
    expect(
      problemsOf(warmPoolLaunchHook, (s) => {
        const drained = worker(s, "drainedTemplate", { ...warm, NATIVELINK_LIFECYCLE_HOOK: "nativelink-drain" });
        groupOf(s, "drained", drained, {
          ...single(drained),
          warmPool: { minSize: 1, instanceReusePolicy: { reuseOnScaleIn: true } },
          initialLifecycleHook: launchHook,
        });
        const terminating = worker(s, "terminatingTemplate", warm);
        groupOf(s, "terminating", terminating, {
          ...single(terminating),
          warmPool: { minSize: 1, instanceReusePolicy: { reuseOnScaleIn: false } },
          initialLifecycleHook: launchHook,
        });
        const undrained = worker(s, "undrainedTemplate", warm);
        groupOf(s, "undrained", undrained, {
          ...single(undrained),
          warmPool: { minSize: 1, instanceReusePolicy: { reuseOnScaleIn: true } },
          initialLifecycleHook: launchHook,
        });
      }),
    ).toEqual([
      "aws_autoscaling_group.undrained: its warm pool reuses instances on scale-in, but its launch template's user data names no " +
        "NATIVELINK_LIFECYCLE_HOOK, so a worker returning to the pool is stopped in the middle of its actions",
    ]);
  });
});
