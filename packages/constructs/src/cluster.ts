import {
  OUTPUT_PREFIX_PATTERN,
  drainHookName,
  nativeLinkLogGroupName,
  VCPUS_PER_CAPACITY_UNIT_TAG,
  workerFleetId,
  type Architecture,
} from "@nativelink-aws/conventions";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { longestActionTimeoutSeconds, NativeLinkConfigError, type NativeLinkConfig } from "@nativelink-aws/nativelink-config";
import { Construct } from "constructs";
import { awsContext } from "./aws-context.js";
import type { NativeLinkClusterProps } from "./cluster-props.js";
import { type ClientAuthentication, resolveClientAuthentication } from "./client-authentication.js";
import { NativeLinkClientTrustStores } from "./client-trust-stores.js";
import { NativeLinkEndpoints } from "./endpoints.js";
import { NativeLinkPropError } from "./errors.js";
import { NativeLinkFleet } from "./fleet.js";
import { resolveCasSizing, resolveSchedulerSizing, resolveWorkerSizing, type WorkerFleetOptions } from "./fleet-sizing.js";
import { validateClusterProps } from "./cluster-validation.js";
import { type BucketAccess, FleetRole } from "./fleet-role.js";
import { NativeLinkLoadBalancer } from "./load-balancer.js";
import { DEFAULT_DEPLOYMENT_NAME, deploymentTags, physicalName, validateDeploymentName } from "./names.js";
import { type INativeLinkNetwork, NativeLinkNetwork } from "./network.js";
import { workerDrainSettings } from "./drain.js";
import { addClusterOutputs } from "./outputs.js";
import { NATIVELINK_PORTS } from "./ports.js";
import { roleConfig, type RoleConfigInputs } from "./role-configs.js";
import { checkExpirationAlignment, resolveCacheExpiration } from "./cache-expiration.js";
import { NativeLinkSecurityGroups } from "./security-groups.js";
import { NativeLinkStorage } from "./storage.js";
import { bootUserData, type NativeLinkRole } from "./user-data.js";
import { wiringProblems } from "./checks/wiring.js";
import { clientCertificatesVerified } from "./checks/rules/client-certificates-verified.js";
import { suppressCheck } from "./checks/suppressions.js";

/**
 * A NativeLink remote cache and remote execution cluster: network, buckets, certificate and DNS, one
 * load balancer, and the CAS, scheduler and worker fleets. Each part is a construct you can use alone.
 *
 * A cluster alone does not work: something must write `scheduler.internal.DOMAIN` (SchedulerDnsRecord of
 * @nativelink-aws/dns-lambda) and create the workers' drain hook (WorkerAutoscaler of @nativelink-aws/autoscaler).
 * `NativeLinkDeployment` (@nativelink-aws/deployment) wires them; composed by hand, synthesis fails until they are
 * there (the completeness rules `NL-DNS-1`, `NL-ASG-1`, `NL-AMI-1` and `NL-IB-1` run as a validation).
 */
export class NativeLinkCluster extends Construct {
  readonly name: string;
  readonly instanceName: string;
  readonly network: INativeLinkNetwork;
  readonly storage: NativeLinkStorage;
  readonly endpoints: NativeLinkEndpoints;
  readonly securityGroups: NativeLinkSecurityGroups;
  readonly loadBalancer: NativeLinkLoadBalancer;
  readonly cas: NativeLinkFleet;
  readonly scheduler: NativeLinkFleet;
  readonly workers: Partial<Record<Architecture, NativeLinkFleet>> = {};
  /** The log group every instance's NativeLink logs go to. */
  readonly logGroup: CloudwatchLogGroup;
  /** Who may use the endpoints, as validated: verified client certificates, or off with the reason. */
  readonly clientAuthentication: ClientAuthentication;
  /** Whether clients must present a certificate (mutual TLS). */
  readonly clientCertificateRequired: boolean;
  /** The trust store of each listener; undefined with `clientAuthentication` off. */
  readonly clientTrustStores: NativeLinkClientTrustStores | undefined;
  /**
   * Port of the writers' listener (`cas.` with a writable action cache); undefined when there is none
   * (`clientAuthentication` off without `writersListener`).
   */
  readonly writersListenerPort: number | undefined;
  private readonly props: NativeLinkClusterProps;
  private readonly configInputs: RoleConfigInputs;
  /** Each role's NativeLink configuration, as delivered in user data. */
  readonly roleConfigs: Partial<Record<NativeLinkRole, NativeLinkConfig>> = {};
  private readonly roleEnv: { bucket: string; region: string; schedulerHost: string };

  constructor(scope: Construct, id: string, props: NativeLinkClusterProps) {
    super(scope, id);
    this.props = props;
    this.name = validateDeploymentName(this, props.name ?? DEFAULT_DEPLOYMENT_NAME);
    this.instanceName = props.instanceName ?? "main";
    validateClusterProps(this, props);
    const { region } = awsContext(this);
    // One log group per deployment, named as the image's CloudWatch agent expects (one stream per instance).
    this.logGroup = new CloudwatchLogGroup(this, "Logs", {
      name: props.logGroupName ?? nativeLinkLogGroupName(this.name),
      retentionInDays: props.logRetentionDays ?? 30,
      tags: deploymentTags(this.name),
    });

    this.network = props.existingNetwork ?? new NativeLinkNetwork(this, "Network", { name: this.name, ...props.vpc });
    const casKeyPrefix = props.casKeyPrefix ?? "cas/";
    const acKeyPrefix = props.acKeyPrefix ?? "ac/";
    const expiration = props.cacheExpiration === false ? undefined : resolveCacheExpiration(this, props.cacheExpiration);
    this.storage = new NativeLinkStorage(this, "Storage", {
      name: this.name,
      preventDestroy: props.preventBucketDestroy,
      accessLogRetentionDays: props.accessLogRetentionDays,
      expiringPrefixes: expiration
        ? [
            { prefix: acKeyPrefix, days: expiration.lifecycleDays.ac, id: "expire-action-cache" },
            { prefix: casKeyPrefix, days: expiration.lifecycleDays.cas, id: "expire-cas" },
          ]
        : [],
    });
    this.endpoints = new NativeLinkEndpoints(this, "Endpoints", {
      name: this.name,
      baseDomain: props.baseDomain,
      casDomainPrefix: props.casDomainPrefix,
      schedulerDomainPrefix: props.schedulerDomainPrefix,
      vpcId: this.network.vpcId,
    });
    this.clientAuthentication = resolveClientAuthentication(this, props.clientAuthentication);
    const authentication = this.clientAuthentication;
    const writersPort = resolveWritersListenerPort(this, props.writersListenerPort);
    // Without client certificates, a writers' listener lets every client write the action cache: only when asked for.
    const hasWriters = authentication.mode === "verify" || authentication.writersListener === true;
    this.writersListenerPort = hasWriters ? writersPort : undefined;
    this.securityGroups = new NativeLinkSecurityGroups(this, "SecurityGroups", {
      name: this.name,
      network: this.network,
      clientCidrs: props.clientCidrs ?? ["0.0.0.0/0", "::/0"],
      allowSshFrom: props.allowSshFrom ?? [],
      listenerPorts: hasWriters ? [443, writersPort] : [443],
      casWriters: hasWriters,
    });
    this.clientTrustStores =
      authentication.mode === "verify"
        ? new NativeLinkClientTrustStores(this, "ClientAuthentication", {
            name: this.name,
            bucket: this.storage.accessLogBucket.bucket.bucket,
            sources: { readers: authentication.readers, writers: authentication.writers },
          })
        : undefined;
    this.clientCertificateRequired = this.clientTrustStores !== undefined;
    const trustStoreArn = (listener: "readers" | "writers") => this.clientTrustStores?.trustStores[listener].arn;
    this.loadBalancer = new NativeLinkLoadBalancer(this, "LoadBalancer", {
      name: this.name,
      vpcId: this.network.vpcId,
      publicSubnetIds: this.network.publicSubnetIds,
      securityGroupId: this.securityGroups.loadBalancer.id,
      certificateArn: this.endpoints.validatedCertificateArn,
      accessLogBucket: this.storage.accessLogBucket.bucket.bucket,
      accessLogPrefix: this.storage.accessLogPrefix,
      sslPolicy: props.sslPolicy,
      listeners: [
        {
          id: "readers",
          port: 443,
          clientTrustStoreArn: trustStoreArn("readers"),
          routes: [
            { id: "cas", hostName: this.endpoints.casDomainName, port: NATIVELINK_PORTS.cas },
            { id: "scheduler", hostName: this.endpoints.schedulerDomainName, port: NATIVELINK_PORTS.schedulerPublic },
          ],
        },
        ...(hasWriters
          ? [
              {
                id: "writers",
                port: writersPort,
                clientTrustStoreArn: trustStoreArn("writers"),
                routes: [
                  {
                    id: "cas-writers",
                    hostName: this.endpoints.casDomainName,
                    port: NATIVELINK_PORTS.casWriters,
                    targetGroupName: physicalName(this.name, "cas-writers"),
                  },
                ],
              },
            ]
          : []),
      ],
      dependsOn: [this.storage.accessLogBucket.policy],
    });
    if (authentication.mode === "off") {
      for (const listener of Object.values(this.loadBalancer.listeners)) {
        suppressCheck(listener, clientCertificatesVerified.id, authentication.reason);
        listener.addOverride("//.nativelink_client_authentication", { ...authentication });
      }
    }
    this.endpoints.aliasTo(this.loadBalancer.loadBalancer);

    this.configInputs = {
      instanceName: this.instanceName,
      casKeyPrefix,
      acKeyPrefix,
      considerExpiredAfterSeconds: expiration?.considerExpiredAfterSeconds ?? 0,
    };
    this.roleEnv = { bucket: this.storage.casBucket.bucket.bucket, region, schedulerHost: this.endpoints.schedulerInternalDomainName };
    this.cas = this.casFleet();
    this.scheduler = this.schedulerFleet();
    for (const architecture of ["x86_64", "arm64"] as const) {
      const options = props.workers?.[architecture] ?? {};
      if (options !== false) this.workers[architecture] = this.workerFleet(architecture, options);
    }
    if (expiration) {
      checkExpirationAlignment(this, this.roleConfigs, { [acKeyPrefix]: expiration.lifecycleDays.ac, [casKeyPrefix]: expiration.lifecycleDays.cas });
    }
    const outputPrefix = props.outputPrefix ?? "";
    if (!OUTPUT_PREFIX_PATTERN.test(outputPrefix)) {
      throw new NativeLinkPropError(
        this.node.path,
        "outputPrefix",
        `"${outputPrefix}" would not make Terraform output names`,
        'use letters, digits, "_" and "-", starting with a letter or "_", e.g. "blue_"',
        outputPrefix,
      );
    }
    addClusterOutputs(this, outputPrefix);
    this.node.addValidation({ validate: () => wiringProblems(this) });
  }

  private casFleet(): NativeLinkFleet {
    const sizing = resolveCasSizing(this, this.props.cas ?? {});
    return this.fleet("cas", "cas", "arm64", {
      ...sizing,
      purchaseOption: "spot",
      targetGroupArns: Object.entries(this.loadBalancer.targetGroups)
        .filter(([route]) => route === "cas" || route === "cas-writers")
        .map(([, targetGroup]) => targetGroup.arn),
      healthCheckType: "ELB",
      terminationPolicies: ["NewestInstance"],
      bucket: { write: [this.configInputs.casKeyPrefix, this.configInputs.acKeyPrefix], read: [] },
    });
  }

  private schedulerFleet(): NativeLinkFleet {
    const { architecture, ...sizing } = resolveSchedulerSizing(this, this.props.scheduler ?? {});
    return this.fleet("scheduler", "scheduler", architecture, {
      ...sizing,
      purchaseOption: "on-demand",
      minCapacity: 1,
      maxCapacity: 1,
      desiredCapacity: 1,
      targetGroupArns: [this.loadBalancer.targetGroups.scheduler!.arn],
      healthCheckType: "ELB",
      // The scheduler serves the action cache to Bazel and reads actions from the CAS.
      bucket: { read: [this.configInputs.casKeyPrefix], write: [this.configInputs.acKeyPrefix] },
    });
  }

  private workerFleet(architecture: Architecture, options: WorkerFleetOptions): NativeLinkFleet {
    const { vcpusPerCapacityUnit, warmPool, ...sizing } = resolveWorkerSizing(this, architecture, options, this.name);
    return this.fleet(workerFleetId(architecture), "worker", architecture, {
      ...sizing,
      healthCheckType: "EC2",
      // The autoscaler works in vCPUs; a group that counts instances says how many vCPUs one is.
      groupTags: vcpusPerCapacityUnit === 1 ? undefined : { [VCPUS_PER_CAPACITY_UNIT_TAG]: String(vcpusPerCapacityUnit) },
      warmPool,
      // Workers upload outputs to the CAS and action results to the action cache.
      bucket: { read: [], write: [this.configInputs.casKeyPrefix, this.configInputs.acKeyPrefix] },
    });
  }

  private fleet(
    fleetId: string,
    role: NativeLinkRole,
    architecture: Architecture,
    settings: Omit<
      ConstructorParameters<typeof NativeLinkFleet>[2],
      "name" | "fleetId" | "role" | "imageId" | "subnetIds" | "securityGroupIds" | "instanceProfileArn" | "userData" | "keyName"
    > & { bucket: Omit<BucketAccess, "bucketArn"> },
  ): NativeLinkFleet {
    const { bucket, ...fleetSettings } = settings;
    const fleetRole = new FleetRole(this, `${fleetId}-role`, {
      name: this.name,
      role: fleetId,
      logGroupArn: this.logGroup.arn,
      bucket: { bucketArn: this.storage.casBucket.bucket.arn, ...bucket },
    });
    const securityGroup = { cas: this.securityGroups.cas, scheduler: this.securityGroups.scheduler, worker: this.securityGroups.workers }[role];
    const configText = this.roleConfig(role);
    const fleet = new NativeLinkFleet(this, fleetId, {
      ...fleetSettings,
      name: this.name,
      fleetId,
      role,
      imageId: this.props.images[architecture],
      subnetIds: this.network.privateSubnetIds,
      securityGroupIds: [securityGroup.id],
      instanceProfileArn: fleetRole.instanceProfile.arn,
      keyName: this.props.keyName,
      userData: bootUserData({
        role,
        deploymentName: this.name,
        bucketName: this.roleEnv.bucket,
        region: this.roleEnv.region,
        schedulerHost: role === "worker" ? this.roleEnv.schedulerHost : undefined,
        lifecycleHookName: role === "worker" ? drainHookName(this.name) : undefined,
        launchHookName: fleetSettings.warmPool?.launchHookName,
        drain: role === "worker" ? workerDrainSettings(this.roleConfigs.scheduler!, this.roleConfigs.worker!, this.roleEnv.schedulerHost) : undefined,
        configText,
      }),
    });
    if (role === "worker") {
      // The drain watcher on the instance completes its own termination lifecycle action, and asks for a
      // replacement (Unhealthy) when a notice drained it but no termination followed.
      fleetRole.addStatements("drain", [
        {
          sid: "DrainOwnInstances",
          actions: ["autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat", "autoscaling:SetInstanceHealth"],
          resources: [fleet.autoScalingGroup.arn],
        },
        // The watcher's way to its group name when instance metadata lacks the aws: tags; cannot be scoped.
        { sid: "FindOwnGroup", actions: ["autoscaling:DescribeAutoScalingInstances"], resources: ["*"] },
      ]);
    }
    return fleet;
  }

  /**
   * The workers' longest action (`max_action_timeout_s` of their NativeLink configuration), in seconds; undefined
   * without worker fleets. Give it to a drain (the autoscaler's `maxActionTimeoutSeconds`) so that the termination
   * lifecycle hook outlasts any action a draining worker is still running.
   */
  get workerMaxActionTimeoutSeconds(): number | undefined {
    const worker = this.roleConfigs.worker;
    return worker === undefined ? undefined : longestActionTimeoutSeconds(worker);
  }

  /** The role's NativeLink configuration text; a preset's complaint is reported against this construct's props. */
  private roleConfig(role: NativeLinkRole): string {
    try {
      const { config, text } = roleConfig(role, this.configInputs);
      this.roleConfigs[role] = config;
      return text;
    } catch (error) {
      if (error instanceof NativeLinkConfigError) {
        throw new NativeLinkPropError(this.node.path, "instanceName, casKeyPrefix or acKeyPrefix", error.message, "correct the value the message names");
      }
      throw error;
    }
  }
}

/** The writers' listener port: a whole port number other than the readers' 443. */
function resolveWritersListenerPort(scope: Construct, value: number | undefined): number {
  const port = value ?? 8443;
  if (!Number.isInteger(port) || port < 1 || port > 65535 || port === 443) {
    throw new NativeLinkPropError(
      scope.node.path,
      "writersListenerPort",
      `${port} is not a port of its own`,
      "use a port from 1 to 65535 other than 443, e.g. 8443 (the default)",
    );
  }
  return port;
}
