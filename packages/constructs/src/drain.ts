/**
 * Name of the worker groups' termination lifecycle hook. The worker's drain watcher (in the image)
 * completes it once NativeLink has finished its running actions; whoever creates the hook uses this name.
 */
export function drainLifecycleHookName(deploymentName: string): string {
  return `${deploymentName}-drain`;
}
