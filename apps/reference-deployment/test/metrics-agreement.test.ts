import { fileURLToPath } from "node:url";
import { metricDatums } from "@nativelink-aws/autoscaler/handler";
import { METRIC_NAMESPACE, workerFleetId } from "@nativelink-aws/conventions";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { ReferenceDeployment } from "../src/reference-deployment.js";

/** A valid lock with made-up digests: the stack bakes, as the deployed reference does. */
const FIXTURE_LOCK = fileURLToPath(new URL("../../../tools/fixtures/images.lock.json", import.meta.url));

type Resource = Record<string, unknown>;
const key = (name: string, dimensions: Record<string, string>) =>
  `${name}{${Object.entries(dimensions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(",")}}`;

describe("the dashboard and alarms read what the autoscaler publishes", () => {
  const synth = JSON.parse(Testing.synth(new ReferenceDeployment(Testing.app(), "nativelink", { imagesLockFile: FIXTURE_LOCK }))) as {
    resource: Record<string, Record<string, Resource>>;
  };
  const fleets = ["x86_64", "arm64"].map((architecture) => ({
    fleet: workerFleetId(architecture as "x86_64"),
    queuedActions: 1,
    executingActions: 1,
    connectedWorkers: 1,
    desiredCapacity: 1,
    requiredCapacity: 1,
    currentCapacity: 1,
  }));
  const published = new Set(
    metricDatums("nativelink", fleets, 0, new Date()).map((datum) =>
      key(datum.MetricName!, Object.fromEntries((datum.Dimensions ?? []).map((d) => [d.Name!, d.Value!]))),
    ),
  );

  it("every NativeLink metric on the dashboard is one the autoscaler publishes", () => {
    const dashboard = Object.values(synth.resource.aws_cloudwatch_dashboard!)[0]!;
    const widgets = (JSON.parse(String(dashboard.dashboard_body)) as { widgets: { properties: { metrics: string[][] } }[] }).widgets;
    const read = widgets
      .flatMap((w) => w.properties.metrics)
      .filter((m) => m[0] === METRIC_NAMESPACE)
      .map(([, name, ...dims]) => {
        const dimensions: Record<string, string> = {};
        for (let i = 0; i < dims.length; i += 2) dimensions[dims[i]!] = dims[i + 1]!;
        return key(name!, dimensions);
      });
    expect(read.length).toBeGreaterThan(8);
    expect(read.filter((metric) => !published.has(metric))).toEqual([]);
  });

  it("every NativeLink metric an alarm reads is one the autoscaler publishes", () => {
    const read: string[] = [];
    for (const alarm of Object.values(synth.resource.aws_cloudwatch_metric_alarm!)) {
      if (alarm.namespace === METRIC_NAMESPACE) read.push(key(String(alarm.metric_name), alarm.dimensions as Record<string, string>));
      for (const query of (alarm.metric_query as { metric?: { namespace: string; metric_name: string; dimensions: Record<string, string> } }[] | undefined) ??
        []) {
        if (query.metric?.namespace === METRIC_NAMESPACE) read.push(key(query.metric.metric_name, query.metric.dimensions));
      }
    }
    expect(read.length).toBeGreaterThan(4);
    expect(read.filter((metric) => !published.has(metric))).toEqual([]);
  });
});
