import { METRIC_DIMENSIONS, METRIC_NAMES, METRIC_NAMESPACE } from "@nativelink-aws/conventions";

/**
 * The custom metrics the autoscaler publishes, as the dashboard and alarms read them: the names are
 * @nativelink-aws/conventions' (the autoscaler publishes by the same definitions).
 */
export const NATIVELINK_METRICS = {
  namespace: METRIC_NAMESPACE,
  dimensions: METRIC_DIMENSIONS,
  queued: METRIC_NAMES.queuedActions,
  executing: METRIC_NAMES.executingActions,
  connectedWorkers: METRIC_NAMES.connectedWorkers,
  desiredCapacity: METRIC_NAMES.desiredCapacity,
  feedErrors: METRIC_NAMES.feedErrors,
} as const;

/** A CloudWatch dashboard / alarm metric: `[namespace, name, dimension, value, …]`. */
export type MetricPath = string[];
