import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { NativeLinkImage } from "@nativelink-aws/ami-builder";
import { NativeLinkChecks, NativeLinkCluster, NativeLinkNetwork, NativeLinkOperations } from "@nativelink-aws/constructs";
import { WorkerAutoscaler } from "@nativelink-aws/autoscaler";
import { SchedulerDnsRecord } from "@nativelink-aws/dns-lambda";
import { Aspects, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { BakeSettings } from "./bake-settings.js";
import { referenceVariables, type ReferenceVariables } from "./variables.js";

export interface ReferenceDeploymentProps {
  /**
   * Deployment name; every physical name derives from it.
   * @default "nativelink"
   */
  readonly name?: string;
  /**
   * Bake the images with these release checksums; without them, AMI ids come from Terraform variables.
   * @default undefined (AMI ids as variables)
   */
  readonly bake?: BakeSettings;
}

/**
 * The topology of NativeLink's original AWS README: `grpcs://cas.DOMAIN` and `grpcs://scheduler.DOMAIN`
 * behind TLS, a CAS fleet over S3, one scheduler kept in DNS, x86_64 and arm64 NVMe workers.
 * Composition order: network → images → cluster → scheduler DNS updater → worker autoscaler → dashboard and alarms.
 */
export class ReferenceDeployment extends TerraformStack {
  readonly network: NativeLinkNetwork;
  readonly images: NativeLinkImage;
  readonly cluster: NativeLinkCluster;
  readonly schedulerDns: SchedulerDnsRecord;
  readonly autoscaler: WorkerAutoscaler;
  readonly operations: NativeLinkOperations;
  /** The security rule pack; error findings fail synthesis. */
  readonly checks = new NativeLinkChecks();

  constructor(scope: Construct, id: string, props: ReferenceDeploymentProps = {}) {
    super(scope, id);
    const name = props.name ?? "nativelink";
    const vars = referenceVariables(this, { amiVariables: props.bake === undefined });
    new AwsProvider(this, "aws", { region: vars.providerRegion, defaultTags: [{ tags: { "nativelink:deployment": name, "managed-by": "nativelink-aws" } }] });

    this.network = new NativeLinkNetwork(this, "Network", { name, imageBuilderSubnet: props.bake !== undefined });
    this.images = props.bake
      ? new NativeLinkImage(this, "Images", { name, vpcId: this.network.vpcId, subnetId: this.network.imageBuilderSubnetId!, ...props.bake })
      : NativeLinkImage.fromAmiIds(this, "Images", amiVariables(vars), name);
    this.cluster = new NativeLinkCluster(this, "Cluster", {
      name,
      baseDomain: vars.baseDomain,
      casDomainPrefix: vars.casDomainPrefix,
      schedulerDomainPrefix: vars.schedulerDomainPrefix,
      scheduler: { instanceType: vars.schedulerInstanceType, architecture: "arm64" },
      existingNetwork: this.network,
      images: this.images.amiIds,
    });
    this.schedulerDns = new SchedulerDnsRecord(this, "SchedulerDns", {
      name,
      hostedZoneId: this.cluster.endpoints.privateZoneId,
      recordName: this.cluster.endpoints.schedulerInternalDomainName,
      schedulerAutoScalingGroupName: this.cluster.scheduler.autoScalingGroup.name,
    });
    const workers = this.cluster.workers;
    this.autoscaler = new WorkerAutoscaler(this, "Autoscaler", {
      name,
      vpcId: this.network.vpcId,
      vpcCidrBlock: this.network.vpcCidrBlock,
      subnetIds: this.network.privateSubnetIds,
      schedulerSecurityGroupId: this.cluster.securityGroups.scheduler.id,
      feedUrl: `http://${this.cluster.endpoints.schedulerInternalDomainName}:${this.images.metricsPort}/metrics`,
      metricsPort: this.images.metricsPort,
      maxActionTimeoutSeconds: this.cluster.workerMaxActionTimeoutSeconds,
      fleets: {
        x86_64: workers.x86_64 && { groupName: workers.x86_64.autoScalingGroup.name, groupArn: workers.x86_64.autoScalingGroup.arn },
        arm64: workers.arm64 && { groupName: workers.arm64.autoScalingGroup.name, groupArn: workers.arm64.autoScalingGroup.arn },
      },
    });
    this.operations = new NativeLinkOperations(this, "Operations", {
      cluster: this.cluster,
      functionNames: { "scheduler-dns": this.schedulerDns.functionName, autoscaler: this.autoscaler.functionName },
    });
    Aspects.of(this).add(this.checks);
  }
}

function amiVariables(vars: ReferenceVariables): { x86_64: string; arm64: string } {
  if (!vars.amiIdX86_64 || !vars.amiIdArm64) throw new Error("AMI variables are missing although no bake settings were given");
  return { x86_64: vars.amiIdX86_64, arm64: vars.amiIdArm64 };
}
