import type { DemandSplit } from "../handler/demand.js";
import type { ScalingMode } from "../handler/config.js";

/** A worker fleet's Auto Scaling group, as @nativelink-aws/constructs creates it (`<name>-workers-<arch>`). */
export interface WorkerGroupRef {
  /** The group's name: pass the group resource's `name` attribute. */
  readonly groupName: string;
  /** The group's ARN: the role may set capacity on this group only. */
  readonly groupArn: string;
}

/** Props of {@link WorkerAutoscaler}. */
export interface WorkerAutoscalerProps {
  /**
   * The deployment's name: every physical name derives from it (`<name>-autoscaler`, the hooks `<name>-drain`, …).
   * @default "nativelink"
   */
  readonly name?: string;
  /** The cluster's VPC, where the function runs. */
  readonly vpcId: string;
  /** The VPC's IPv4 CIDR: the function reaches the CloudWatch and Auto Scaling interface endpoints there on 443. */
  readonly vpcCidrBlock: string;
  /** Private subnets for the function (at least one; two or more for availability). */
  readonly subnetIds: string[];
  /** The scheduler's security group: the construct lets only the function's group reach `metricsPort` on it. */
  readonly schedulerSecurityGroupId: string;
  /** The scheduler collector's Prometheus page, e.g. `http://scheduler.internal.example.com:9464/metrics`. */
  readonly feedUrl: string;
  /**
   * The collector's port (ami-builder's `metricsPort`); a port written in `feedUrl` must agree.
   * @default 9464
   */
  readonly metricsPort?: number;
  /** The worker groups to scale; at least one. */
  readonly fleets: { readonly x86_64?: WorkerGroupRef; readonly arm64?: WorkerGroupRef };
  /**
   * `set-capacity`: the function calls SetDesiredCapacity when its decision changes. `metrics-only`: it only
   * publishes, and CloudWatch alarms with step scaling policies (created here) move the groups.
   * @default "set-capacity"
   */
  readonly mode?: ScalingMode;
  /**
   * Seconds between feed polls within each one-minute invocation: 10, 12, 15, 20, 30 or 60. `metrics-only` mode
   * polls once a minute (its alarms read one-minute datapoints).
   * @default 20 (60 in metrics-only mode)
   */
  readonly pollIntervalSeconds?: number;
  /**
   * Seconds between looks at the feed within each invocation (1–60, dividing `pollIntervalSeconds`): when the
   * collector's page changed — the scheduler exported new numbers — the function decides at once rather than at the
   * next poll. A look is one GET of the page; a decision happens only on a change. Equal to `pollIntervalSeconds`: off.
   * @default 5 (the largest of 1–5 dividing pollIntervalSeconds; pollIntervalSeconds in metrics-only mode)
   */
  readonly feedCheckSeconds?: number;
  /**
   * How long a fleet must have been over-provisioned before it scales in (to the highest requirement of that period).
   * @default 180
   */
  readonly scaleInAfterSeconds?: number;
  /**
   * The idle period of a collapse (60 to `scaleInAfterSeconds`): when every requirement of this period is at most
   * `quickScaleInFraction` × the desired capacity, the fleet scales in to that period's peak, keeping one action's
   * capacity (the last units wait for `scaleInAfterSeconds`).
   * @default 60
   */
  readonly quickScaleInAfterSeconds?: number;
  /**
   * See `quickScaleInAfterSeconds`, from 0 to 1; 0 turns the quick scale-in off.
   * @default 0.5
   */
  readonly quickScaleInFraction?: number;
  /**
   * Launch to a registered worker, in seconds (0–3600): the drain horizon. Queued actions that the running fleet will
   * have started within this time — at its measured completion rate less the arrival rate — need no new capacity.
   * 0 turns the drain refinement off.
   * @default 120
   */
  readonly bootSeconds?: number;
  /**
   * The window (60–3600 s) over which the completion and arrival rates are measured; a multiple of the scheduler's
   * OTLP export interval (OTEL_METRIC_EXPORT_INTERVAL, 60 s by default) keeps both ends of it equally stale.
   * @default 120
   */
  readonly rateWindowSeconds?: number;
  /**
   * Capacity units one action occupies (weights are vCPUs: vCPUs per action).
   * @default 1
   */
  readonly unitsPerAction?: number;
  /**
   * How demand without a platform label is shared between the fleets.
   * @default { kind: "preferred", fleet: "x86_64" } (arm64 when only arm64 is given)
   */
  readonly demandSplit?: DemandSplit;
  /**
   * A label of the feed's series naming the platform (values x86_64/amd64 or arm64/aarch64), if your collector adds one.
   * @default "cpu_arch"
   */
  readonly platformLabel?: string;
  /**
   * Heartbeat timeout of the termination lifecycle hook `<name>-drain` (at most 7200, AWS's limit): how long a
   * terminating worker may finish its actions before it is stopped anyway.
   * @default 3600
   */
  readonly drainTimeoutSeconds?: number;
  /**
   * The workers' longest action (`max_action_timeout_s` of their NativeLink configuration; pass
   * `NativeLinkCluster.workerMaxActionTimeoutSeconds`); `drainTimeoutSeconds` must be at least this.
   * @default 1200 (NativeLink's default and the worker preset's)
   */
  readonly maxActionTimeoutSeconds?: number;
  /**
   * Retention of the function's log group, one of CloudWatch's allowed values.
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * Memory of the function in MB.
   * @default 128
   */
  readonly memorySizeMb?: number;
  /**
   * Path of the handler's zip. For tests or a custom build only.
   * @default this package's `dist/lambda/handler.zip`
   */
  readonly bundlePath?: string;
  /**
   * Tags added to every taggable resource, after `nativelink:deployment = <name>`.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}
