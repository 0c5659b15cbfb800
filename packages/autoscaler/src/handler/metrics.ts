import type { MetricDatum } from "@aws-sdk/client-cloudwatch";
import { METRIC_DIMENSIONS, METRIC_NAMES } from "@nativelink-aws/conventions";

export { METRIC_NAMES, METRIC_NAMESPACE } from "@nativelink-aws/conventions";

export interface FleetMetrics {
  readonly fleet: string;
  readonly queuedActions: number;
  readonly executingActions: number;
  readonly connectedWorkers: number | undefined;
  /** What the policy wants the group's desired capacity to be. */
  readonly desiredCapacity: number;
  readonly requiredCapacity: number;
  /** The group's desired capacity before this decision. */
  readonly currentCapacity: number;
}

const datum = (name: string, value: number, dimensions: Record<string, string>, at: Date): MetricDatum => ({
  MetricName: name,
  Value: value,
  Unit: "Count",
  Timestamp: at,
  Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
});

/** The datums of one poll: each fleet's six values, and FeedErrors (0 when the feed was good). */
export function metricDatums(deploymentName: string, fleets: readonly FleetMetrics[], feedErrors: number, at: Date): MetricDatum[] {
  const datums = [datum(METRIC_NAMES.feedErrors, feedErrors, { [METRIC_DIMENSIONS.deployment]: deploymentName }, at)];
  for (const fleet of fleets) {
    const dimensions = { [METRIC_DIMENSIONS.deployment]: deploymentName, [METRIC_DIMENSIONS.fleet]: fleet.fleet };
    datums.push(
      datum(METRIC_NAMES.queuedActions, fleet.queuedActions, dimensions, at),
      datum(METRIC_NAMES.executingActions, fleet.executingActions, dimensions, at),
      datum(METRIC_NAMES.desiredCapacity, fleet.desiredCapacity, dimensions, at),
      datum(METRIC_NAMES.requiredCapacity, fleet.requiredCapacity, dimensions, at),
      datum(METRIC_NAMES.currentCapacity, fleet.currentCapacity, dimensions, at),
    );
    if (fleet.connectedWorkers !== undefined) datums.push(datum(METRIC_NAMES.connectedWorkers, fleet.connectedWorkers, dimensions, at));
  }
  return datums;
}
