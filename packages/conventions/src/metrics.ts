/** The CloudWatch namespace of every metric the autoscaler publishes; its role may write nowhere else. */
export const METRIC_NAMESPACE = "NativeLink";

/** Dimension names: every metric has `Deployment`; all but FeedErrors have `Fleet` (a worker fleet id, `workers-x86_64`). */
export const METRIC_DIMENSIONS = { deployment: "Deployment", fleet: "Fleet" } as const;

/**
 * Metric names. The first four are read by `nativelink-aws status` and the dashboards; RequiredCapacity is the policy's
 * state (the idle period is read back from it) and CurrentCapacity, with DesiredCapacity, drives the metrics-only alarms.
 */
export const METRIC_NAMES = {
  queuedActions: "QueuedActions",
  executingActions: "ExecutingActions",
  connectedWorkers: "ConnectedWorkers",
  desiredCapacity: "DesiredCapacity",
  requiredCapacity: "RequiredCapacity",
  currentCapacity: "CurrentCapacity",
  feedErrors: "FeedErrors",
} as const;
export type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];

/**
 * How often the scheduler image's NativeLink exports its metrics: the image's bootstrap writes
 * `OTEL_METRIC_EXPORT_INTERVAL` (milliseconds) from it, the autoscaler reads its feed at that pace (NativeLink's own
 * default, without it, is 60 s).
 */
export const SCHEDULER_METRIC_EXPORT_INTERVAL_SECONDS = 15;
