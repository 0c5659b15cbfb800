import { DEFAULT_WARM_POOL_REUSE_ON_SCALE_IN, launchHookName, warmPoolSizes } from "@nativelink-aws/conventions";
import type { Construct } from "constructs";
import { NativeLinkPropError } from "./errors.js";
import type { WeightedInstanceType } from "./fleet.js";

/**
 * A warm pool for a worker fleet: instances launched ahead of need, bootstrapped (user data, disks, firewall), then
 * stopped. A scale-out starts one of them instead of booting a new instance. A stopped instance costs its root EBS
 * volume (`rootVolumeGib` of gp3) and nothing else; its instance-store disks are wiped by the stop and prepared again
 * when it starts.
 */
export interface WorkerWarmPoolOptions {
  /**
   * Instances kept stopped in the pool (whole instances of the fleet's one instance type).
   * @default 1
   */
  readonly minSize?: number;
  /**
   * Most instances in service and in the pool together (Auto Scaling's `MaxGroupPreparedCapacity`): the pool holds
   * this minus the group's desired capacity, and never fewer than `minSize`. Leaving it at the default keeps the pool
   * at exactly `minSize`, so its cost does not grow with `maxVcpus`.
   * @default the group's minimum instances + minSize
   */
  readonly maxGroupPreparedCapacity?: number;
  /**
   * A scale-in returns its worker to the pool instead of terminating it (Auto Scaling's `ReuseOnScaleIn`). The
   * worker is drained first: Auto Scaling holds it at `Warmed:Pending:Wait` in the drain hook (`<name>-drain`, which
   * WorkerAutoscaler creates) until its running actions finish, then stops it. Where the pool has room for it (a
   * `maxGroupPreparedCapacity` above the default, or refills still booting) no refill launch boots in its place
   * (about two minutes of a running instance each); what the pool holds above its size is terminated, as without
   * reuse, so it is never worse. `false` terminates every scaled-in worker; launches refill the pool.
   * @default true
   */
  readonly reuseOnScaleIn?: boolean;
}

/** A warm pool as the fleet synthesizes it: sizes in instances, and the launch hook its instances complete. */
export interface ResolvedWarmPool {
  readonly minSize: number;
  readonly maxGroupPreparedCapacity: number;
  /** Whether a scale-in returns its drained worker to the pool (`instance_reuse_policy`). */
  readonly reuseOnScaleIn: boolean;
  /** The launch lifecycle hook (`NATIVELINK_LAUNCH_HOOK` in role.env) the bootstrap completes once it is done. */
  readonly launchHookName: string;
  /** How long a launching instance may take to bootstrap before Auto Scaling abandons (terminates) it. */
  readonly launchHookTimeoutSeconds: number;
}

/** A bootstrap takes about two minutes (disks, firewall, sizes); ten leave room for a slow start. */
const LAUNCH_HOOK_TIMEOUT_SECONDS = 600;

/** The worker fleet's group as the warm pool sees it, capacity in instances. */
export interface WarmPoolGroup {
  readonly deploymentName: string;
  readonly purchaseOption: "spot" | "on-demand";
  readonly instanceTypes: readonly WeightedInstanceType[];
  readonly minCapacity: number;
  readonly maxCapacity: number;
}

/**
 * Checks a worker fleet's warm pool against what Auto Scaling accepts (no Spot, no mixed instances policy: one
 * on-demand instance type) and resolves its sizes.
 */
export function resolveWarmPool(scope: Construct, prop: string, options: WorkerWarmPoolOptions, group: WarmPoolGroup): ResolvedWarmPool {
  const fleet = prop.slice(0, prop.lastIndexOf("."));
  if (group.purchaseOption !== "on-demand") {
    throw new NativeLinkPropError(
      scope.node.path,
      prop,
      `a warm pool on a fleet with purchaseOption "${group.purchaseOption}": Auto Scaling refuses warm pools on groups that launch Spot Instances`,
      `set ${fleet}.purchaseOption to "on-demand" with one instance type, or leave warmPool out`,
    );
  }
  if (group.instanceTypes.length !== 1) {
    throw new NativeLinkPropError(
      scope.node.path,
      `${fleet}.instanceTypes`,
      `${group.instanceTypes.length} instance types with a warm pool: Auto Scaling refuses warm pools on groups with a mixed instances policy`,
      `give exactly one instance type, e.g. ["${group.instanceTypes[0]?.instanceType ?? "m6id.large"}"]`,
    );
  }
  const { minSize, maxGroupPreparedCapacity } = warmPoolSizes(options, group.minCapacity);
  if (!Number.isInteger(minSize) || minSize < 1 || minSize > group.maxCapacity) {
    throw new NativeLinkPropError(
      scope.node.path,
      `${prop}.minSize`,
      `${minSize} is not a whole number of instances from 1 to the fleet's most (${group.maxCapacity})`,
      "keep a few instances warm: about the instances a typical burst adds",
    );
  }
  const least = Math.max(group.minCapacity, minSize);
  if (!Number.isInteger(maxGroupPreparedCapacity) || maxGroupPreparedCapacity < least) {
    throw new NativeLinkPropError(
      scope.node.path,
      `${prop}.maxGroupPreparedCapacity`,
      `${maxGroupPreparedCapacity} is not a whole number of instances ≥ ${least} (the group's minimum and the pool's minSize)`,
      `use at least ${least}, or leave it out to keep the pool at minSize`,
    );
  }
  const reuseOnScaleIn = options.reuseOnScaleIn ?? DEFAULT_WARM_POOL_REUSE_ON_SCALE_IN;
  if (typeof reuseOnScaleIn !== "boolean") {
    throw new NativeLinkPropError(
      scope.node.path,
      `${prop}.reuseOnScaleIn`,
      `${JSON.stringify(reuseOnScaleIn)} is not true or false`,
      "use true to return drained workers to the pool on scale-in, false to terminate them, or leave it out (true)",
    );
  }
  return {
    minSize,
    maxGroupPreparedCapacity,
    reuseOnScaleIn,
    launchHookName: launchHookName(group.deploymentName),
    launchHookTimeoutSeconds: LAUNCH_HOOK_TIMEOUT_SECONDS,
  };
}
