/**
 * An EC2 Auto Scaling warm pool of stopped, already-initialized workers: a scale-out takes a stopped instance first
 * (a worker after `resumeSeconds`), launching cold (`bootSeconds`) only when none is left; the group launches new
 * instances into the pool to keep it at its size (they boot and initialize, paid as running, then stop); a stopped
 * instance pays only for its root volume. Warm pools need on-demand instances of one type (PutWarmPool refuses a
 * group with a mixed instances policy or Spot), so a fleet with one has no spot interruptions.
 */
export interface WarmPoolModel {
  /** The pool's MinSize, in instances. */
  readonly minSize: number;
  /**
   * MaxGroupPreparedCapacity in instances: the pool holds this less the group's instances (at least `minSize`).
   * @default the group's maximum in instances (AWS's default when MaxGroupPreparedCapacity is unset)
   */
  readonly maxPreparedInstances?: number;
  /**
   * Stopped to a registered worker. Assumed 45 s: EC2 starts a stopped EBS-backed instance and the OS boots in about
   * 30 s (no user data runs again; AWS does not publish a figure), then the worker formats and mounts its NVMe
   * instance store (wiped while stopped) and NativeLink starts and registers (~15 s). A parameter: measure it.
   */
  readonly resumeSeconds: number;
  /** Whether a scaled-in worker returns to the pool (stopped) instead of being terminated: ReuseOnScaleIn. */
  readonly reuseOnScaleIn: boolean;
  /** The worker's gp3 root volume (constructs' `workers.*.rootVolumeGib`, default 20), paid while stopped. */
  readonly volumeGib: number;
  /** gp3 $/GiB-month (the CLI's price table: 0.08 in us-east-1). */
  readonly volumeDollarsPerGibMonth: number;
  /** The worker's on-demand $/hour (the CLI's price table: m6id.large 0.1187), to state the volume's cost in vCPU-hours. */
  readonly instanceDollarsPerHour: number;
}

/** AWS bills a month as 730 hours (the CLI's price table). */
export const hoursPerMonth = 730;

export const defaultWarmPool: WarmPoolModel = {
  minSize: 0,
  resumeSeconds: 45,
  reuseOnScaleIn: true,
  volumeGib: 20,
  volumeDollarsPerGibMonth: 0.08,
  instanceDollarsPerHour: 0.1187,
};

/** The instances the pool should hold beside `groupInstances` running or booting ones. */
export function warmPoolTarget(pool: WarmPoolModel, maxGroupInstances: number, groupInstances: number): number {
  return Math.max(pool.minSize, (pool.maxPreparedInstances ?? maxGroupInstances) - groupInstances);
}

/** A stopped instance-hour's volume, in the worker's vCPU-hours at its on-demand price. */
export function stoppedHourInVcpuHours(pool: WarmPoolModel, instanceUnits: number): number {
  const volumeDollarsPerHour = (pool.volumeGib * pool.volumeDollarsPerGibMonth) / hoursPerMonth;
  return volumeDollarsPerHour / (pool.instanceDollarsPerHour / instanceUnits);
}
