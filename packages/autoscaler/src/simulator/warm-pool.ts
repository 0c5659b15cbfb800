import { warmPoolInstances, warmPoolSizes, type WarmPoolSizeOptions } from "@nativelink-aws/conventions";

/**
 * An EC2 Auto Scaling warm pool as @nativelink-aws/constructs synthesizes it for a fleet's `warmPool`: stopped,
 * already-initialized workers. A scale-out takes a stopped instance first (a worker after `resumeSeconds`), launching
 * cold (`bootSeconds`) only when none is left; the group launches new instances into the pool to keep it at its size
 * (they boot and initialize, paid as running, then stop); a stopped instance pays only for its root volume. A scale-in
 * drains the worker, then terminates it, or with `reuseOnScaleIn` stops it back into the pool when the pool's size
 * rule has room (paid as running until stopped); AWS terminates the surplus. Warm pools need on-demand instances of one
 * type (PutWarmPool refuses a group with a mixed instances policy or Spot), so a fleet with one has no spot interruptions.
 *
 * The sizes are the construct's props (`minSize`, `maxGroupPreparedCapacity`, in instances), resolved with the same
 * defaults by @nativelink-aws/conventions' `warmPoolSizes`.
 */
export interface WarmPoolModel extends WarmPoolSizeOptions {
  /**
   * Stopped to a registered worker. Assumed 45 s: EC2 starts a stopped EBS-backed instance and the OS boots in about
   * 30 s (no user data runs again; AWS does not publish a figure), then the worker formats and mounts its NVMe
   * instance store (wiped while stopped) and NativeLink starts and registers (~15 s). A parameter: measure it.
   */
  readonly resumeSeconds: number;
  /**
   * The warm pool's InstanceReusePolicy (constructs' `warmPool.reuseOnScaleIn`): a scaled-in worker drains (the
   * termination hook fires on its way back, in Warmed:Pending:Wait, and counts in the pool meanwhile, so no refill
   * launches for it), then stops into the pool if the pool's size (`warmPoolInstances`) has room, else terminates.
   * @default true, the construct's default (`DEFAULT_WARM_POOL_REUSE_ON_SCALE_IN` of @nativelink-aws/conventions)
   */
  readonly reuseOnScaleIn?: boolean;
  /** The worker's gp3 root volume (constructs' `workers.*.rootVolumeGib`, default 20), paid while stopped. */
  readonly volumeGib: number;
  /** gp3 $/GiB-month (the CLI's price table: 0.08 in us-east-1). */
  readonly volumeDollarsPerGibMonth: number;
  /** The worker's on-demand $/hour (the CLI's price table: m6id.large 0.1187), to state the volume's cost in vCPU-hours. */
  readonly instanceDollarsPerHour: number;
}

/** AWS bills a month as 730 hours (the CLI's price table). */
export const hoursPerMonth = 730;

/** The construct's `warmPool: {}` (one instance kept stopped) on an m6id.large fleet. */
export const defaultWarmPool: WarmPoolModel = {
  resumeSeconds: 45,
  volumeGib: 20,
  volumeDollarsPerGibMonth: 0.08,
  instanceDollarsPerHour: 0.1187,
};

/**
 * The instances the pool holds beside `desiredInstances` in service, for a group whose minimum is `groupMinInstances`
 * (the fleet's minimum vCPUs rounded up to whole instances, as the construct sizes the group).
 */
export function warmPoolTarget(pool: WarmPoolModel, groupMinInstances: number, desiredInstances: number): number {
  return warmPoolInstances(warmPoolSizes(pool, groupMinInstances), desiredInstances);
}

/** A stopped instance-hour's volume, in the worker's vCPU-hours at its on-demand price. */
export function stoppedHourInVcpuHours(pool: WarmPoolModel, instanceUnits: number): number {
  const volumeDollarsPerHour = (pool.volumeGib * pool.volumeDollarsPerGibMonth) / hoursPerMonth;
  return volumeDollarsPerHour / (pool.instanceDollarsPerHour / instanceUnits);
}
