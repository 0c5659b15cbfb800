import { NativeLinkImage } from "@nativelink-aws/ami-builder";
import { WorkerAutoscaler } from "@nativelink-aws/autoscaler";
import {
  type ClientAuthentication,
  NativeLinkChecks,
  NativeLinkCluster,
  NativeLinkNetwork,
  NativeLinkOperations,
  PendingInput,
  validateDeploymentName,
} from "@nativelink-aws/constructs";
import { DEFAULT_DEPLOYMENT_NAME, NativeLinkPropError } from "@nativelink-aws/conventions";
import { SchedulerDnsRecord } from "@nativelink-aws/dns-lambda";
import { Aspects, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { resolveClientAuthenticationSource } from "./client-ca.js";
import { resolveImageSource } from "./images.js";
import type { NativeLinkDeploymentProps } from "./props.js";

/**
 * A whole NativeLink cluster on AWS, wired completely: network → images → cluster (its listeners verifying client
 * certificates against the published client CAs) → scheduler DNS updater → worker autoscaler → dashboard and alarms, plus
 * the `NativeLinkChecks` rule pack on the stack. A construct, not a stack: the app owns the stack, the provider and the
 * backend.
 *
 * ```ts
 * new NativeLinkDeployment(stack, "NativeLink", { baseDomain: "build.example.com", images: { lockFile: "images.lock.json" } });
 * ```
 *
 * Each part is exposed, and each is usable alone (see the "from parts" example) for compositions this one does not cover.
 */
export class NativeLinkDeployment extends Construct {
  readonly name: string;
  readonly network: NativeLinkNetwork;
  /** The AMIs: baked from the lock, existing ids, or the pending input's placeholder. */
  readonly images: NativeLinkImage;
  /** While the images lock file does not exist: the guard that stops `terraform plan`, with what to run. */
  readonly pendingImages: PendingInput | undefined;
  /** While the client CA directory does not exist: the guard that stops `terraform plan`, with what to run. */
  readonly pendingClientCa: PendingInput | undefined;
  readonly cluster: NativeLinkCluster;
  /** Keeps `scheduler.internal.<baseDomain>` on the live scheduler. */
  readonly schedulerDns: SchedulerDnsRecord;
  /** Scales the worker fleets and creates their drain hooks; undefined for a cluster without workers. */
  readonly autoscaler: WorkerAutoscaler | undefined;
  readonly operations: NativeLinkOperations;
  /** The rule pack added to the stack; undefined when `checks` is false. */
  readonly checks: NativeLinkChecks | undefined;

  constructor(scope: Construct, id: string, props: NativeLinkDeploymentProps) {
    super(scope, id);
    const name = validateDeploymentName(this, props.name ?? DEFAULT_DEPLOYMENT_NAME);
    this.name = name;
    const source = resolveImageSource(this, props.images);
    const clientCa = resolveClientAuthenticationSource(this, props, name);
    refuseWarmPoolsWithStepScaling(this, props);
    const natGateway = props.network?.natGateway ?? false;
    // Builders download releases: the private subnets when a NAT gateway gives them egress, else a public subnet of their own.
    this.network = new NativeLinkNetwork(this, "Network", { ...props.network, name, imageBuilderSubnet: source.kind === "lock" && !natGateway });
    const logGroupName = props.cluster?.logGroupName;

    if (source.kind === "lock") {
      const subnetId = natGateway ? this.network.privateSubnetIds[0]! : this.network.imageBuilderSubnetId!;
      this.images = new NativeLinkImage(this, "Images", { ...source.bake, name, vpcId: this.network.vpcId, subnetId, lock: source.lock, logGroupName });
    } else if (source.kind === "pending") {
      this.pendingImages = new PendingInput(this, "ImagesPending", { message: source.message });
      const placeholder = this.pendingImages.value;
      this.images = NativeLinkImage.fromAmiIds(this, "Images", { x86_64: placeholder, arm64: placeholder }, name);
    } else {
      this.images = new NativeLinkImage(this, "Images", { name, existingAmiIds: source.amiIds, metricsPort: source.metricsPort, logGroupName });
    }

    let clientAuthentication: ClientAuthentication;
    if (clientCa.kind === "pending") {
      this.pendingClientCa = new PendingInput(this, "ClientCaPending", { message: clientCa.message });
      // Both trust stores read their CA bundle from the guard's placeholder, so terraform plan stops before creating them.
      const placeholder = { caCertificatesS3: { bucket: this.pendingClientCa.value, key: this.pendingClientCa.value } };
      clientAuthentication = { mode: "verify", readers: placeholder, writers: placeholder };
    } else {
      clientAuthentication = clientCa.clientAuthentication;
    }

    this.cluster = new NativeLinkCluster(this, "Cluster", {
      ...props.cluster,
      name,
      baseDomain: props.baseDomain,
      casDomainPrefix: props.casDomainPrefix,
      schedulerDomainPrefix: props.schedulerDomainPrefix,
      instanceName: props.instanceName,
      existingNetwork: this.network,
      images: this.images.amiIds,
      clientAuthentication,
    });
    const { endpoints, scheduler, workers } = this.cluster;
    this.schedulerDns = new SchedulerDnsRecord(this, "SchedulerDns", {
      ...props.schedulerDns,
      name,
      hostedZoneId: endpoints.privateZoneId,
      recordName: endpoints.schedulerInternalDomainName,
      schedulerAutoScalingGroupName: scheduler.autoScalingGroup.name,
    });
    const fleet = (architecture: "x86_64" | "arm64") => {
      const group = workers[architecture]?.autoScalingGroup;
      return group && { groupName: group.name, groupArn: group.arn };
    };
    const fleets = { x86_64: fleet("x86_64"), arm64: fleet("arm64") };
    this.autoscaler =
      fleets.x86_64 || fleets.arm64
        ? new WorkerAutoscaler(this, "Autoscaler", {
            ...props.autoscaler,
            name,
            vpcId: this.network.vpcId,
            vpcCidrBlock: this.network.vpcCidrBlock,
            subnetIds: this.network.privateSubnetIds,
            schedulerSecurityGroupId: this.cluster.securityGroups.scheduler.id,
            feedUrl: `http://${endpoints.schedulerInternalDomainName}:${this.images.metricsPort}/metrics`,
            metricsPort: this.images.metricsPort,
            maxActionTimeoutSeconds: this.cluster.workerMaxActionTimeoutSeconds,
            fleets,
          })
        : undefined;
    this.operations = new NativeLinkOperations(this, "Operations", {
      ...props.operations,
      cluster: this.cluster,
      functionNames: { "scheduler-dns": this.schedulerDns.functionName, ...(this.autoscaler ? { autoscaler: this.autoscaler.functionName } : {}) },
    });
    if (props.checks ?? true) {
      this.checks = new NativeLinkChecks();
      Aspects.of(TerraformStack.of(this)).add(this.checks);
    }
  }
}

/**
 * Metrics-only mode's step policies change a group's capacity by the vCPU gap, but a fleet with a warm pool counts whole
 * instances (one on-demand type): the steps would overshoot by the type's vCPUs. Set-capacity mode converts.
 */
function refuseWarmPoolsWithStepScaling(scope: Construct, props: NativeLinkDeploymentProps): void {
  if (props.autoscaler?.mode !== "metrics-only") return;
  for (const architecture of ["x86_64", "arm64"] as const) {
    const fleet = props.cluster?.workers?.[architecture];
    if (fleet && fleet.warmPool !== undefined) {
      throw new NativeLinkPropError(
        scope.node.path,
        `cluster.workers.${architecture}.warmPool`,
        'a warm pool is set while autoscaler.mode is "metrics-only", whose step scaling counts vCPUs where this fleet counts instances',
        'use autoscaler mode "set-capacity" (the default) with a warm pool, or remove warmPool',
      );
    }
  }
}
