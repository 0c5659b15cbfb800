import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmConfig,
  type CloudwatchMetricAlarmMetricQuery,
} from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js";
import type { Construct } from "constructs";
import type { NativeLinkCluster } from "../cluster.js";
import { deploymentTags, physicalName } from "../names.js";
import { workerFleetId, type Architecture } from "@nativelink-aws/conventions";
import { NATIVELINK_METRICS as M } from "./metrics.js";

export interface AlarmThresholds {
  /** Queued actions (all fleets) that count as a backlog when sustained for 30 minutes. */
  readonly queuedActions: number;
  /** Percent of requests answered with a 5xx, over 5 minutes. */
  readonly http5xxPercent: number;
}

type Query = CloudwatchMetricAlarmMetricQuery;
const metric = (id: string, namespace: string, metricName: string, dimensions: Record<string, string>, stat = "Sum"): Query => ({
  id,
  returnData: false,
  metric: { namespace, metricName, dimensions, stat, period: 60 },
});
const expression = (id: string, value: string, label: string): Query => ({ id, expression: value, label, returnData: true });

/** The deployment's alarms, each sending to `actions` (an SNS topic) when set. */
export function operationsAlarms(
  scope: Construct,
  cluster: NativeLinkCluster,
  functionNames: Record<string, string>,
  thresholds: AlarmThresholds,
  actions: string[],
): CloudwatchMetricAlarm[] {
  const alarm = (
    id: string,
    description: string,
    config: Omit<CloudwatchMetricAlarmConfig, "alarmName" | "alarmDescription" | "comparisonOperator"> & { comparisonOperator?: string },
  ) =>
    new CloudwatchMetricAlarm(scope, id, {
      alarmName: physicalName(cluster.name, id),
      alarmDescription: description,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      alarmActions: actions,
      okActions: actions,
      tags: deploymentTags(cluster.name),
      ...config,
    });
  const fleets = (Object.keys(cluster.workers) as Architecture[]).map(workerFleetId);
  const custom = (prefix: string, name: string, stat = "Maximum") =>
    fleets.map((fleet, i) => metric(`${prefix}${i}`, M.namespace, name, { [M.dimensions.deployment]: cluster.name, [M.dimensions.fleet]: fleet }, stat));
  const sum = (prefix: string) => fleets.map((_, i) => `FILL(${prefix}${i}, 0)`).join(" + ") || "0";
  const lb = cluster.loadBalancer.loadBalancer;
  const schedulerTargets = cluster.loadBalancer.targetGroups.scheduler!;
  const alarms = [
    alarm("scheduler-unhealthy", "The scheduler has no healthy target behind the load balancer: remote execution is down.", {
      namespace: "AWS/ApplicationELB",
      metricName: "HealthyHostCount",
      statistic: "Minimum",
      period: 60,
      evaluationPeriods: 3,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
      dimensions: { TargetGroup: schedulerTargets.arnSuffix, LoadBalancer: lb.arnSuffix },
    }),
    alarm("workers-zero-while-queued", "Actions have been queued for 5 minutes while no worker is in service.", {
      evaluationPeriods: 5,
      threshold: 1,
      metricQuery: [
        ...custom("q", M.queued),
        ...Object.values(cluster.workers).map((fleet, i) =>
          metric(`w${i}`, "AWS/AutoScaling", "GroupInServiceInstances", { AutoScalingGroupName: fleet.autoScalingGroup.name }, "Maximum"),
        ),
        expression("stuck", `IF((${sum("q")}) > 0 AND (${sum("w")}) == 0, 1, 0)`, "queued with zero workers"),
      ],
    }),
    alarm("queue-backlog", `More than ${thresholds.queuedActions} actions queued for 30 minutes: the fleets cannot keep up.`, {
      evaluationPeriods: 30,
      threshold: thresholds.queuedActions,
      comparisonOperator: "GreaterThanThreshold",
      metricQuery: [...custom("q", M.queued), expression("queued", sum("q"), "queued actions")],
    }),
    alarm("http-5xx-rate", `More than ${thresholds.http5xxPercent}% of requests answered with a 5xx for 5 minutes.`, {
      evaluationPeriods: 5,
      threshold: thresholds.http5xxPercent,
      comparisonOperator: "GreaterThanThreshold",
      metricQuery: [
        metric("elb", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", { LoadBalancer: lb.arnSuffix }),
        metric("target", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", { LoadBalancer: lb.arnSuffix }),
        metric("requests", "AWS/ApplicationELB", "RequestCount", { LoadBalancer: lb.arnSuffix }),
        expression("rate", "100 * (FILL(elb, 0) + FILL(target, 0)) / MAX([requests, 1])", "5xx percent"),
      ],
    }),
    alarm("autoscaler-feed-errors", "The autoscaler could not read the scheduler's metrics for 5 minutes: capacity is frozen.", {
      namespace: M.namespace,
      metricName: M.feedErrors,
      dimensions: { [M.dimensions.deployment]: cluster.name },
      statistic: "Sum",
      period: 60,
      evaluationPeriods: 5,
      threshold: 1,
    }),
  ];
  for (const [role, functionName] of Object.entries(functionNames)) {
    alarms.push(
      alarm(`${role}-lambda-errors`, `The ${role} Lambda function failed.`, {
        namespace: "AWS/Lambda",
        metricName: "Errors",
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 1,
        dimensions: { FunctionName: functionName },
      }),
    );
  }
  return alarms;
}
