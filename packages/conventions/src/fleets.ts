/** The CPU architectures of images and worker fleets. */
export const ARCHITECTURES = ["x86_64", "arm64"] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** A worker fleet's id, e.g. `workers-x86_64`: its group is `<name>-workers-x86_64`, and it is the metrics' `Fleet` dimension. */
export function workerFleetId(architecture: Architecture): string {
  return `workers-${architecture}`;
}

/**
 * Name of the worker groups' termination lifecycle hook, `<name>-drain`. The autoscaler creates it, the cluster writes
 * it into the workers' role.env (`NATIVELINK_LIFECYCLE_HOOK`), and the image's drain watcher completes it.
 */
export function drainHookName(deploymentName: string): string {
  return `${deploymentName}-drain`;
}

/** Name of the worker groups' launch lifecycle hook when they have a warm pool, `<name>-launch`: the bootstrap completes it. */
export function launchHookName(deploymentName: string): string {
  return `${deploymentName}-launch`;
}

/**
 * Group tag on worker groups that count instances rather than vCPUs (one on-demand type, as a warm pool needs): how
 * many vCPUs one unit of the group's capacity is. The cluster writes it; the autoscaler, which works in vCPUs, reads it.
 */
export const VCPUS_PER_CAPACITY_UNIT_TAG = "nativelink:vcpus-per-capacity-unit";

/** The log group the image's CloudWatch agent ships NativeLink's log to, and the cluster creates: `/<name>/nativelink`. */
export function nativeLinkLogGroupName(deploymentName: string): string {
  return `/${deploymentName}/nativelink`;
}

/** The CAS group's default instance types (Graviton, memory-optimized): the cluster's default, and `cost`'s reference deployment. */
export const DEFAULT_CAS_INSTANCE_TYPES: readonly string[] = ["r6g.xlarge", "r7g.xlarge", "r6gd.xlarge", "r8g.xlarge"];

/**
 * Each worker fleet's default instance types, all with instance storage for the work directory: the cluster's default,
 * and `cost`'s reference deployment.
 */
export const DEFAULT_WORKER_INSTANCE_TYPES: Readonly<Record<Architecture, readonly string[]>> = {
  x86_64: [
    "m6id.large",
    "m5d.large",
    "m5ad.large",
    "m5dn.large",
    "c6id.large",
    "c5d.large",
    "c5ad.large",
    "r5ad.large",
    "r5dn.large",
    "i4i.large",
    "i3.large",
    "i3en.large",
  ],
  arm64: ["c6gd.medium", "m6gd.medium", "r6gd.medium", "c7gd.medium", "m7gd.medium", "r7gd.medium", "is4gen.medium"],
};
