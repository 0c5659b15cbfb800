import { TAG_KEYS } from "@nativelink-aws/conventions";
import { AutoscalingGroup, type AutoscalingGroupConfig } from "@cdktf/provider-aws/lib/autoscaling-group/index.js";
import { DataAwsAmi } from "@cdktf/provider-aws/lib/data-aws-ami/index.js";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template/index.js";
import { Construct } from "constructs";
import { deploymentTags, physicalName } from "./names.js";
import { terraformBase64 } from "./terraform-strings.js";
import type { NativeLinkRole } from "./user-data.js";
import type { ResolvedWarmPool } from "./warm-pool.js";

/** An instance type and how many capacity units one instance counts for. */
export interface WeightedInstanceType {
  readonly instanceType: string;
  readonly weight: number;
}

export interface NativeLinkFleetProps {
  readonly name: string;
  /** Short fleet id, e.g. `cas` or `workers-arm64`: the group is `<name>-<fleetId>`. */
  readonly fleetId: string;
  readonly role: NativeLinkRole;
  readonly imageId: string;
  readonly instanceTypes: WeightedInstanceType[];
  /** Spot (mixed instances, price-capacity-optimized, capacity rebalance) or on-demand. */
  readonly purchaseOption: "spot" | "on-demand";
  /** In capacity units (the sum of instance weights). */
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Fixed desired capacity; leave undefined when something else (the autoscaler) sets it. */
  readonly desiredCapacity?: number;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  readonly instanceProfileArn: string;
  /** The boot script (plain text; encoded here). */
  readonly userData: string;
  readonly targetGroupArns?: string[];
  readonly healthCheckType: "EC2" | "ELB";
  readonly terminationPolicies?: string[];
  readonly rootVolumeGib: number;
  readonly keyName?: string;
  /** Group tags (not propagated to instances), e.g. the autoscaler's `nativelink:vcpus-per-capacity-unit`. */
  readonly groupTags?: Readonly<Record<string, string>>;
  /** A warm pool of stopped instances and the launch lifecycle hook they complete; needs one on-demand type. */
  readonly warmPool?: ResolvedWarmPool;
}

/** Auto Scaling group metrics worth having on a dashboard; they cost nothing. */
const GROUP_METRICS = [
  "GroupMinSize",
  "GroupMaxSize",
  "GroupDesiredCapacity",
  "GroupInServiceInstances",
  "GroupPendingInstances",
  "GroupTerminatingInstances",
  "GroupInServiceCapacity",
  "GroupTotalCapacity",
];

/**
 * A launch template and an Auto Scaling group in the private subnets: IMDSv2 required with instance
 * tags in metadata, encrypted gp3 root volume, no key pair unless asked, no public IP.
 */
export class NativeLinkFleet extends Construct {
  readonly launchTemplate: LaunchTemplate;
  readonly autoScalingGroup: AutoscalingGroup;

  constructor(scope: Construct, id: string, props: NativeLinkFleetProps) {
    super(scope, id);
    const groupName = physicalName(props.name, props.fleetId);
    const instanceTags = deploymentTags(props.name, { Name: groupName, [TAG_KEYS.role]: props.role, [TAG_KEYS.fleet]: props.fleetId });
    // The root device's name differs between images (/dev/sda1, /dev/xvda): ask the image.
    const image = new DataAwsAmi(this, "Image", { filter: [{ name: "image-id", values: [props.imageId] }] });
    const single = props.purchaseOption === "on-demand" && props.instanceTypes.length === 1;
    // Auto Scaling refuses a warm pool on a group with a mixed instances policy or Spot (resolveWarmPool says so first).
    if (props.warmPool && !single) throw new Error(`${this.node.path}: a warm pool needs one on-demand instance type`);

    this.launchTemplate = new LaunchTemplate(this, "LaunchTemplate", {
      name: groupName,
      imageId: props.imageId,
      instanceType: single ? props.instanceTypes[0]!.instanceType : undefined,
      keyName: props.keyName,
      iamInstanceProfile: { arn: props.instanceProfileArn },
      userData: terraformBase64(props.userData),
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "enabled" },
      networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", securityGroups: props.securityGroupIds, deleteOnTermination: "true" }],
      blockDeviceMappings: [
        { deviceName: image.rootDeviceName, ebs: { volumeType: "gp3", volumeSize: props.rootVolumeGib, encrypted: "true", deleteOnTermination: "true" } },
      ],
      tagSpecifications: [
        { resourceType: "instance", tags: instanceTags },
        { resourceType: "volume", tags: instanceTags },
      ],
      tags: deploymentTags(props.name),
    });
    const template = { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.toString() };

    this.autoScalingGroup = new AutoscalingGroup(this, "Group", {
      name: groupName,
      minSize: props.minCapacity,
      maxSize: props.maxCapacity,
      desiredCapacity: props.desiredCapacity,
      desiredCapacityType: single ? undefined : "units",
      vpcZoneIdentifier: props.subnetIds,
      targetGroupArns: props.targetGroupArns,
      healthCheckType: props.healthCheckType,
      healthCheckGracePeriod: 300,
      terminationPolicies: props.terminationPolicies,
      capacityRebalance: props.purchaseOption === "spot",
      enabledMetrics: GROUP_METRICS,
      launchTemplate: single ? template : undefined,
      mixedInstancesPolicy: single
        ? undefined
        : {
            launchTemplate: {
              launchTemplateSpecification: { launchTemplateId: template.id, version: template.version },
              override: props.instanceTypes.map(({ instanceType, weight }) => ({ instanceType, weightedCapacity: String(weight) })),
            },
            instancesDistribution: {
              onDemandBaseCapacity: 0,
              onDemandPercentageAboveBaseCapacity: props.purchaseOption === "spot" ? 0 : 100,
              onDemandAllocationStrategy: "lowest-price",
              spotAllocationStrategy: "price-capacity-optimized",
            },
          },
      instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: props.minCapacity <= 1 ? 0 : 50 } },
      tag: [{ key: "Name", value: groupName }, ...Object.entries(props.groupTags ?? {}).map(([key, value]) => ({ key, value }))].map((tag) => ({
        ...tag,
        propagateAtLaunch: false,
      })),
      ...(props.warmPool ? warmPoolSettings(props.warmPool) : {}),
      lifecycle: props.desiredCapacity === undefined ? { ignoreChanges: ["desired_capacity"] } : undefined,
    });
  }
}

/**
 * The warm pool (instances stopped once bootstrapped; with reuse, a scale-in drains its worker through the drain hook
 * and stops it back into the pool) and its launch hook. The hook is an initial one, so no instance of the
 * group ever launches without it; the provider replaces the group when initial hooks change.
 */
function warmPoolSettings(pool: ResolvedWarmPool): Pick<AutoscalingGroupConfig, "warmPool" | "initialLifecycleHook"> {
  return {
    warmPool: {
      poolState: "Stopped",
      minSize: pool.minSize,
      maxGroupPreparedCapacity: pool.maxGroupPreparedCapacity,
      instanceReusePolicy: { reuseOnScaleIn: pool.reuseOnScaleIn },
    },
    initialLifecycleHook: [
      {
        name: pool.launchHookName,
        lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
        // An instance whose bootstrap never completes the hook is terminated, not put in service or in the pool.
        defaultResult: "ABANDON",
        heartbeatTimeout: pool.launchHookTimeoutSeconds,
      },
    ],
  };
}
