/**
 * The custom metrics the autoscaler publishes (@nativelink-aws/autoscaler): namespace, dimensions and
 * names; each has `Deployment` and `Fleet` dimensions except FeedErrors (`Deployment` only). The dashboard
 * and alarms read exactly these; the reference app's tests check both sides agree.
 */
export const NATIVELINK_METRICS = {
  namespace: "NativeLink",
  dimensions: { deployment: "Deployment", fleet: "Fleet" },
  queued: "QueuedActions",
  executing: "ExecutingActions",
  connectedWorkers: "ConnectedWorkers",
  desiredCapacity: "DesiredCapacity",
  feedErrors: "FeedErrors",
} as const;

/** A CloudWatch dashboard / alarm metric: `[namespace, name, dimension, value, …]`. */
export type MetricPath = string[];

/** The `Fleet` dimension value of a worker fleet, e.g. `workers-x86_64`. */
export function workerFleetDimension(architecture: string): string {
  return `workers-${architecture}`;
}
