/** The worker fleets of a cluster, by CPU architecture, as @nativelink-aws/constructs names them. */
export const ARCHITECTURES = ["x86_64", "arm64"] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** The `Fleet` dimension of the published metrics, e.g. `workers-x86_64`: the fleet id of the group `<name>-workers-x86_64`. */
export function fleetDimension(architecture: Architecture): string {
  return `workers-${architecture}`;
}

/**
 * Name of the worker groups' termination lifecycle hook: `<name>-drain`. The same convention as
 * `drainLifecycleHookName` of @nativelink-aws/constructs (a test checks they agree); the image's drain watcher
 * completes the hook by this name.
 */
export function drainHookName(deploymentName: string): string {
  return `${deploymentName}-drain`;
}
