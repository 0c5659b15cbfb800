import { describe, expect, it } from "vitest";
import { NATIVELINK_METRICS } from "../src/operations/metrics.js";
import { synthOperations } from "./operations-helpers.js";
import { only, resources } from "./synth-helpers.js";

interface Widget {
  properties: { title: string; metrics: string[][] };
}

describe("operations: dashboard", () => {
  const synth = synthOperations({ functionNames: { "scheduler-dns": "nativelink-scheduler-dns", autoscaler: "nativelink-autoscaler" } });
  const dashboard = only(synth, "aws_cloudwatch_dashboard");
  const widgets = (JSON.parse(String(dashboard.dashboard_body)) as { widgets: Widget[] }).widgets;
  const metricsOf = (title: string) => widgets.find((w) => w.properties.title.startsWith(title))!.properties.metrics;

  it("is one per deployment, and its body is valid JSON", () => {
    expect(dashboard.dashboard_name).toBe("nativelink-operations");
    expect(widgets.length).toBe(9);
  });

  it("charts fleet sizes (desired, in service) for every group", () => {
    expect(metricsOf("Fleets: desired").map((m) => m[1])).toEqual(Array(4).fill("GroupDesiredCapacity"));
    expect(metricsOf("Fleets: in-service").map((m) => m[3])).toEqual([
      expect.stringContaining("Cluster_cas_Group"),
      expect.stringContaining("Cluster_scheduler_Group"),
      expect.stringContaining("Cluster_workers-x86_64_Group"),
      expect.stringContaining("Cluster_workers-arm64_Group"),
    ]);
  });

  it("charts queued and executing actions and connected workers per fleet, as the autoscaler publishes them", () => {
    expect(metricsOf("Actions queued")).toEqual([
      [NATIVELINK_METRICS.namespace, "QueuedActions", "Deployment", "nativelink", "Fleet", "workers-x86_64"],
      [NATIVELINK_METRICS.namespace, "QueuedActions", "Deployment", "nativelink", "Fleet", "workers-arm64"],
      [NATIVELINK_METRICS.namespace, "ExecutingActions", "Deployment", "nativelink", "Fleet", "workers-x86_64"],
      [NATIVELINK_METRICS.namespace, "ExecutingActions", "Deployment", "nativelink", "Fleet", "workers-arm64"],
    ]);
    expect(metricsOf("Connected workers").map((m) => m[1])).toEqual(["ConnectedWorkers", "ConnectedWorkers", "DesiredCapacity", "DesiredCapacity"]);
  });

  it("charts requests, latency and 5xx per endpoint", () => {
    for (const title of ["Endpoints: requests", "Endpoints: target response time"]) {
      expect(metricsOf(title).map((m) => m[3])).toEqual([
        expect.stringContaining("cas-targets"),
        expect.stringContaining("scheduler-targets"),
        expect.stringContaining("cas-writers-targets"),
      ]);
    }
    expect(metricsOf("Endpoints: 5xx").map((m) => m[1])).toEqual([
      "HTTPCode_Target_5XX_Count",
      "HTTPCode_Target_5XX_Count",
      "HTTPCode_Target_5XX_Count",
      "HTTPCode_ELB_5XX_Count",
    ]);
  });

  it("charts S3 requests and errors from a bucket metrics configuration", () => {
    expect(only(synth, "aws_s3_bucket_metric")).toMatchObject({ name: "EntireBucket", bucket: expect.stringContaining("Cluster_Storage_Cas_Bucket") });
    expect(metricsOf("CAS bucket").map((m) => m[1])).toEqual(["AllRequests", "4xxErrors", "5xxErrors"]);
  });

  it("charts Lambda errors and the autoscaler's feed errors", () => {
    expect(metricsOf("Lambda errors").map((m) => `${m[1]}:${m[3]}`)).toEqual([
      "Errors:nativelink-scheduler-dns",
      "Errors:nativelink-autoscaler",
      "FeedErrors:nativelink",
    ]);
  });
});

describe("operations: alarms", () => {
  const synth = synthOperations({ functionNames: { "scheduler-dns": "nativelink-scheduler-dns", autoscaler: "nativelink-autoscaler" } });
  const alarms = Object.fromEntries(Object.values(resources(synth, "aws_cloudwatch_metric_alarm")).map((a) => [String(a.alarm_name), a]));
  const topic = `\${aws_sns_topic.${Object.keys(resources(synth, "aws_sns_topic"))[0]}.arn}`;

  it("cover the scheduler, stuck and backlogged queues, 5xx, both Lambdas and the feed", () => {
    expect(Object.keys(alarms).sort()).toEqual([
      "nativelink-autoscaler-feed-errors",
      "nativelink-autoscaler-lambda-errors",
      "nativelink-http-5xx-rate",
      "nativelink-queue-backlog",
      "nativelink-scheduler-dns-lambda-errors",
      "nativelink-scheduler-unhealthy",
      "nativelink-workers-zero-while-queued",
    ]);
    for (const alarm of Object.values(alarms)) expect(alarm.alarm_actions).toEqual([topic]);
  });

  it("raise when the scheduler has no healthy target for 3 minutes", () => {
    expect(alarms["nativelink-scheduler-unhealthy"]).toMatchObject({
      namespace: "AWS/ApplicationELB",
      metric_name: "HealthyHostCount",
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      evaluation_periods: 3,
      treat_missing_data: "breaching",
    });
  });

  it("raise when actions are queued with zero workers for 5 minutes", () => {
    const alarm = alarms["nativelink-workers-zero-while-queued"]!;
    expect(alarm.evaluation_periods).toBe(5);
    const queries = alarm.metric_query as { id: string; expression?: string; metric?: { metric_name: string } }[];
    expect(queries.find((q) => q.expression)!.expression).toBe("IF((FILL(q0, 0) + FILL(q1, 0)) > 0 AND (FILL(w0, 0) + FILL(w1, 0)) == 0, 1, 0)");
    expect(queries.filter((q) => q.metric).map((q) => q.metric!.metric_name)).toEqual([
      "QueuedActions",
      "QueuedActions",
      "GroupInServiceInstances",
      "GroupInServiceInstances",
    ]);
  });

  it("raise on the autoscaler's feed errors for 5 minutes", () => {
    expect(alarms["nativelink-autoscaler-feed-errors"]).toMatchObject({
      namespace: "NativeLink",
      metric_name: "FeedErrors",
      dimensions: { Deployment: "nativelink" },
      evaluation_periods: 5,
      threshold: 1,
    });
  });

  it("raise on a backlog above the threshold for 30 minutes, and on a 5xx rate", () => {
    expect(alarms["nativelink-queue-backlog"]).toMatchObject({ evaluation_periods: 30, threshold: 50, comparison_operator: "GreaterThanThreshold" });
    const rate = alarms["nativelink-http-5xx-rate"]!;
    expect(rate).toMatchObject({ evaluation_periods: 5, threshold: 5 });
    expect((rate.metric_query as { expression?: string }[]).find((q) => q.expression)!.expression).toBe(
      "100 * (FILL(elb, 0) + FILL(target, 0)) / MAX([requests, 1])",
    );
  });

  it("encrypt the created topic, use a given one, or send nowhere", () => {
    expect(only(synth, "aws_sns_topic")).toMatchObject({ name: "nativelink-alarms", kms_master_key_id: "alias/aws/sns" });
    const given = synthOperations({ alarmTopic: "arn:aws:sns:us-east-1:111122223333:oncall" });
    expect(given.resource.aws_sns_topic).toBeUndefined();
    for (const alarm of Object.values(resources(given, "aws_cloudwatch_metric_alarm")))
      expect(alarm.alarm_actions).toEqual(["arn:aws:sns:us-east-1:111122223333:oncall"]);
    const silent = synthOperations({ alarmTopic: false });
    for (const alarm of Object.values(resources(silent, "aws_cloudwatch_metric_alarm"))) expect(alarm.alarm_actions).toEqual([]);
  });

  it.each([
    [
      { queuedActionsThreshold: 0 },
      "ops/Operations: invalid prop 'queuedActionsThreshold': 0 is not positive. Fix: use a number of queued actions such as 50.",
    ],
    [{ alarmTopic: "oncall" }, `ops/Operations: invalid prop 'alarmTopic': "oncall" is not an SNS topic ARN. Fix: pass the topic's ARN, "create" or false.`],
  ])("refuse %j", (props, message) => {
    expect(() => synthOperations(props)).toThrow(message);
  });
});
