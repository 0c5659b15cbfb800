/**
 * A worker fleet's warm pool in the shape its props take (`warmPool` of a fleet in @nativelink-aws/constructs), sizes
 * in instances. The cluster synthesizes it and the autoscaler's simulator models it; both resolve it here.
 */
export interface WarmPoolSizeOptions {
  /**
   * Instances kept stopped in the pool.
   * @default 1
   */
  readonly minSize?: number;
  /**
   * Most instances in service and in the pool together (Auto Scaling's `MaxGroupPreparedCapacity`).
   * @default the group's minimum instances + minSize, which keeps the pool at exactly minSize
   */
  readonly maxGroupPreparedCapacity?: number;
}

/** A warm pool's sizes with the defaults applied: what the group's `warm_pool` block carries. */
export interface WarmPoolSizes {
  readonly minSize: number;
  readonly maxGroupPreparedCapacity: number;
}

/** A pool nobody sized keeps one instance ready. */
export const DEFAULT_WARM_POOL_MIN_SIZE = 1;

/**
 * A scaled-in worker returns to the pool (Auto Scaling's InstanceReusePolicy ReuseOnScaleIn) unless the fleet says
 * otherwise: drained through the termination hook, it stops back into the pool when the size rule below has room for
 * it, so no refill launch boots in its place; Auto Scaling terminates what the pool holds above that size, as it
 * would without reuse. The size rule (`warmPoolInstances`) is the same with and without reuse.
 */
export const DEFAULT_WARM_POOL_REUSE_ON_SCALE_IN = true;

/** The defaults of a warm pool's sizes, for a group whose minimum is `groupMinInstances` (unchecked: callers validate). */
export function warmPoolSizes(options: WarmPoolSizeOptions, groupMinInstances: number): WarmPoolSizes {
  const minSize = options.minSize ?? DEFAULT_WARM_POOL_MIN_SIZE;
  return { minSize, maxGroupPreparedCapacity: options.maxGroupPreparedCapacity ?? groupMinInstances + minSize };
}

/**
 * Instances Auto Scaling keeps in the pool beside a desired capacity of `desiredInstances`: MaxGroupPreparedCapacity
 * less the desired capacity, and never fewer than MinSize.
 */
export function warmPoolInstances(sizes: WarmPoolSizes, desiredInstances: number): number {
  return Math.max(sizes.minSize, sizes.maxGroupPreparedCapacity - desiredInstances);
}
