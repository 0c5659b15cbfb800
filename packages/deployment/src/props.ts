import type { ImagesLock, NativeLinkImageProps, PerArchitecture } from "@nativelink-aws/ami-builder";
import type { WorkerAutoscalerProps } from "@nativelink-aws/autoscaler";
import type { ClientAuthentication, NativeLinkClusterProps, NativeLinkNetworkProps, NativeLinkOperationsProps } from "@nativelink-aws/constructs";
import type { SchedulerDnsRecordProps } from "@nativelink-aws/dns-lambda";

/** How a bake may be tuned. The releases come from the lock; the network, name and log group from the deployment. */
export type ImageBakeOptions = Omit<
  NativeLinkImageProps,
  | "name"
  | "existingAmiIds"
  | "vpcId"
  | "subnetId"
  | "lock"
  | "logGroupName"
  | "nativelinkVersion"
  | "nativelinkSha256"
  | "nativelinkReleaseBaseUrl"
  | "otelcolVersion"
  | "otelcolSha256"
  | "otelcolReleaseBaseUrl"
>;

/** Bake both images from an images lock file. */
export interface ImagesFromLockFile {
  /**
   * Path of the images lock file, relative to the working directory of synthesis (the app's folder, where
   * `npm run synth` and `cdktf synth` run). Write it with `npx nativelink-aws images lock --out <path>` and commit it.
   * While the file does not exist the images are a pending input: synthesis warns with that command, and
   * `terraform plan` stops before anything is created. A file that exists but is not a valid lock fails synthesis
   * (`ImagesLockError`).
   */
  readonly lockFile: string;
  /**
   * Tuning of the bake (builder instance types, bake revision, tests, …).
   * @default the NativeLinkImage defaults
   */
  readonly bake?: ImageBakeOptions;
}

/** Bake both images from an images lock already read (`readImagesLockFile`, `parseImagesLock`). */
export interface ImagesFromLock {
  /** The lock: releases, download addresses and SHA-256 of every asset. */
  readonly lock: ImagesLock;
  /**
   * Tuning of the bake.
   * @default the NativeLinkImage defaults
   */
  readonly bake?: ImageBakeOptions;
}

/** Boot AMIs baked elsewhere (an earlier bake, another stack); nothing is baked here. */
export interface ExistingImages {
  /** AMI ids per architecture that hold the boot contract (docs/DESIGN.md); literal ids or Terraform tokens. */
  readonly amiIds: PerArchitecture<string>;
  /**
   * Port of the schedulers' metrics collector in these AMIs (ami-builder's `metricsPort`), for the autoscaler.
   * @default 9464
   */
  readonly metricsPort?: number;
}

/** Where the AMIs come from. Exactly one source, always explicit: nothing is read from environment variables. */
export type NativeLinkDeploymentImages = ImagesFromLockFile | ImagesFromLock | ExistingImages;

/** What the deployment wires itself, so these cluster props are its own or derived. */
type WiredClusterProps =
  | "name"
  | "baseDomain"
  | "casDomainPrefix"
  | "schedulerDomainPrefix"
  | "instanceName"
  | "images"
  | "vpc"
  | "existingNetwork"
  | "clientAuthentication";

export interface NativeLinkDeploymentProps {
  /**
   * Deployment name: every physical name (buckets, groups, roles, functions, images) derives from it, so two
   * deployments live side by side in one account and region. 2-20 lowercase letters, digits or hyphens.
   * @default "nativelink"
   */
  readonly name?: string;
  /** The existing public Route 53 hosted zone the endpoints live under, e.g. `build.example.com`. Required. */
  readonly baseDomain: string;
  /**
   * Label of the CAS endpoint: `grpcs://<prefix>.<baseDomain>`.
   * @default "cas"
   */
  readonly casDomainPrefix?: string;
  /**
   * Label of the scheduler endpoint: `grpcs://<prefix>.<baseDomain>`; workers dial `<prefix>.internal.<baseDomain>`.
   * @default "scheduler"
   */
  readonly schedulerDomainPrefix?: string;
  /**
   * The remote instance name Bazel passes as `--remote_instance_name`.
   * @default "main"
   */
  readonly instanceName?: string;
  /**
   * Where the AMIs come from: `{ lockFile: "images.lock.json" }` (bake from the lock file; pending until it exists),
   * `{ lock }` (bake from a lock already read) or `{ amiIds: { x86_64, arm64 } }` (existing AMIs). Required.
   */
  readonly images: NativeLinkDeploymentImages;
  /**
   * The directory `nativelink-aws certs publish --out` writes (relative to the working directory of synthesis, the app's
   * folder): both listeners verify client certificates against its CAs, readers (443) the developers' and the CI CA,
   * writers (`cluster.writersListenerPort`, 8443) the CI CA only. While it does not exist, the client CAs are a pending
   * input: synthesis warns with the commands to run (`certs init`, `certs publish`), and `terraform plan` stops before
   * anything is created. A directory that exists but is incomplete, altered or another deployment's fails synthesis
   * (`ClientCaError`). Not with `clientAuthentication`.
   * @default "client-ca" (when clientAuthentication is not given)
   */
  readonly clientCa?: string;
  /**
   * Who may use the endpoints, given explicitly instead of `clientCa`: `{ mode: "verify", readers, writers }` with trust
   * store sources you manage (PEM text or S3 objects), or `{ mode: "off", reason }`, which lets every client that reaches
   * the load balancer run actions and write the action cache (the reason is recorded as the suppression of `NL-ELB-3`).
   * @default undefined (from clientCa)
   */
  readonly clientAuthentication?: ClientAuthentication;
  /**
   * The VPC. A bake gets a small public subnet for its builders (`imageBuilderSubnet`), unless `natGateway` gives the
   * private subnets egress, in which case the builders use the first private subnet.
   * @default the NativeLinkNetwork defaults: 10.0.0.0/16 over 2 zones, no NAT gateway, the default interface endpoints
   */
  readonly network?: Omit<NativeLinkNetworkProps, "name" | "imageBuilderSubnet">;
  /**
   * The cluster's other props (fleets, buckets, TLS, `clientCidrs`, `writersListenerPort`, logs, …). `logGroupName` is baked
   * into the images too.
   * @default the NativeLinkCluster defaults
   */
  readonly cluster?: Omit<NativeLinkClusterProps, WiredClusterProps>;
  /**
   * The scheduler DNS updater's other props (TTL, sweep rate, …).
   * @default the SchedulerDnsRecord defaults
   */
  readonly schedulerDns?: Omit<SchedulerDnsRecordProps, "name" | "hostedZoneId" | "recordName" | "schedulerAutoScalingGroupName">;
  /**
   * The worker autoscaler's other props (mode, poll interval, scale-in, drain timeout, …). Created when the cluster
   * has a worker fleet.
   * @default the WorkerAutoscaler defaults
   */
  readonly autoscaler?: Omit<
    WorkerAutoscalerProps,
    "name" | "vpcId" | "vpcCidrBlock" | "subnetIds" | "schedulerSecurityGroupId" | "feedUrl" | "metricsPort" | "maxActionTimeoutSeconds" | "fleets"
  >;
  /**
   * The dashboard and alarms' other props (alarm topic, thresholds).
   * @default the NativeLinkOperations defaults: a new encrypted alarm topic `<name>-alarms`
   */
  readonly operations?: Omit<NativeLinkOperationsProps, "cluster" | "functionNames">;
  /**
   * Add the `NativeLinkChecks` rule pack (security and completeness) to the stack as an aspect: an error finding fails
   * synthesis. The cluster's own wiring is validated either way.
   * @default true
   */
  readonly checks?: boolean;
}
