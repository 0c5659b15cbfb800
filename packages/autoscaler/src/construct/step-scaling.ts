import { AutoscalingPolicy } from "@cdktf/provider-aws/lib/autoscaling-policy/index.js";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js";
import type { Construct } from "constructs";
import { METRIC_NAMES, METRIC_NAMESPACE } from "../handler/metrics.js";

export interface StepScalingInput {
  readonly deploymentName: string;
  /** The Fleet dimension, e.g. `workers-x86_64`. */
  readonly fleet: string;
  readonly groupName: string;
  readonly tags: Record<string, string>;
}

/** Bounds of the steps: a gap of 1 adds 1, 2-3 add 2, 4-7 add 4, … up to 256 (never more than the gap). */
export const STEP_BOUNDS = [0, 2, 4, 8, 16, 32, 64, 128, 256] as const;

/**
 * Metrics-only mode: the function publishes DesiredCapacity (the policy's decision, idle period included) and
 * CurrentCapacity (the group's); `gap = DesiredCapacity - CurrentCapacity`. One alarm per direction fires on a single
 * one-minute datapoint and runs a step policy that changes capacity by the largest power of two not above the gap;
 * while the gap persists the alarm stays in ALARM and the policy runs again each minute.
 */
export function addStepScaling(
  scope: Construct,
  id: string,
  input: StepScalingInput,
): { scaleOut: AutoscalingPolicy; scaleIn: AutoscalingPolicy; alarms: CloudwatchMetricAlarm[] } {
  const base = `${input.deploymentName}-autoscaler-${input.fleet}`;
  const policy = (direction: "out" | "in") =>
    new AutoscalingPolicy(scope, `${id}-scale-${direction}`, {
      name: `${base}-scale-${direction}`,
      autoscalingGroupName: input.groupName,
      policyType: "StepScaling",
      adjustmentType: "ChangeInCapacity",
      metricAggregationType: "Maximum",
      estimatedInstanceWarmup: 60,
      stepAdjustment: STEP_BOUNDS.map((lower, index) => {
        const upper = STEP_BOUNDS[index + 1];
        const change = Math.max(1, lower);
        return direction === "out"
          ? { scalingAdjustment: change, metricIntervalLowerBound: String(lower), ...(upper === undefined ? {} : { metricIntervalUpperBound: String(upper) }) }
          : {
              scalingAdjustment: -change,
              metricIntervalUpperBound: String(-lower),
              ...(upper === undefined ? {} : { metricIntervalLowerBound: String(-upper) }),
            };
      }),
    });
  const scaleOut = policy("out");
  const scaleIn = policy("in");
  const dimensions = { Deployment: input.deploymentName, Fleet: input.fleet };
  const metric = (metricName: string) => ({ namespace: METRIC_NAMESPACE, metricName, dimensions, period: 60, stat: "Maximum" });
  const gap = [
    { id: "wanted", metric: metric(METRIC_NAMES.desiredCapacity), returnData: false },
    { id: "current", metric: metric(METRIC_NAMES.currentCapacity), returnData: false },
    { id: "gap", expression: "wanted - current", label: "desired minus current capacity (units)", returnData: true },
  ];
  const alarm = (direction: "out" | "in", target: AutoscalingPolicy) =>
    new CloudwatchMetricAlarm(scope, `${id}-alarm-${direction}`, {
      alarmName: `${base}-scale-${direction}`,
      alarmDescription: `NativeLink ${input.fleet}: the autoscaler's policy wants ${direction === "out" ? "more" : "less"} capacity than the group has`,
      comparisonOperator: direction === "out" ? "GreaterThanThreshold" : "LessThanThreshold",
      threshold: 0,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: "notBreaching",
      metricQuery: gap,
      alarmActions: [target.arn],
      tags: input.tags,
    });
  return { scaleOut, scaleIn, alarms: [alarm("out", scaleOut), alarm("in", scaleIn)] };
}
