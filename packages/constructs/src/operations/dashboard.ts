import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard/index.js";
import type { Construct } from "constructs";
import type { NativeLinkCluster } from "../cluster.js";
import { physicalName } from "../names.js";
import { workerFleetId, type Architecture } from "@nativelink-aws/conventions";
import { type MetricPath, NATIVELINK_METRICS as M } from "./metrics.js";

interface Widget {
  title: string;
  metrics: MetricPath[];
  stat?: string;
  stacked?: boolean;
}

/** Widgets are laid out two per row, 12 units wide and 6 high. */
function dashboardBody(region: string, widgets: Widget[]): string {
  return JSON.stringify({
    widgets: widgets.map((widget, index) => ({
      type: "metric",
      x: (index % 2) * 12,
      y: Math.floor(index / 2) * 6,
      width: 12,
      height: 6,
      properties: {
        title: widget.title,
        region,
        view: "timeSeries",
        stacked: widget.stacked ?? false,
        stat: widget.stat ?? "Average",
        period: 60,
        metrics: widget.metrics,
      },
    })),
  });
}

/** One CloudWatch dashboard per deployment: fleets, queue, endpoints, S3 and the Lambdas. */
export function operationsDashboard(
  scope: Construct,
  cluster: NativeLinkCluster,
  region: string,
  functionNames: string[],
  casBucketMetricFilter: string,
): CloudwatchDashboard {
  const groups = [cluster.cas, cluster.scheduler, ...Object.values(cluster.workers)].map((fleet) => fleet.autoScalingGroup.name);
  const fleets = (Object.keys(cluster.workers) as Architecture[]).map(workerFleetId);
  const custom = (name: string) => fleets.map((fleet): MetricPath => [M.namespace, name, M.dimensions.deployment, cluster.name, M.dimensions.fleet, fleet]);
  const lb = cluster.loadBalancer;
  const perTargetGroup = (name: string) =>
    Object.values(lb.targetGroups).map(
      (group): MetricPath => ["AWS/ApplicationELB", name, "TargetGroup", group.arnSuffix, "LoadBalancer", lb.loadBalancer.arnSuffix],
    );
  const bucket = cluster.storage.casBucket.bucket.bucket;
  const s3 = (name: string): MetricPath => ["AWS/S3", name, "BucketName", bucket, "FilterId", casBucketMetricFilter];
  const widgets: Widget[] = [
    { title: "Fleets: desired capacity", metrics: groups.map((group) => ["AWS/AutoScaling", "GroupDesiredCapacity", "AutoScalingGroupName", group]) },
    { title: "Fleets: in-service instances", metrics: groups.map((group) => ["AWS/AutoScaling", "GroupInServiceInstances", "AutoScalingGroupName", group]) },
    { title: "Actions queued and executing", metrics: [...custom(M.queued), ...custom(M.executing)], stacked: true },
    { title: "Connected workers and autoscaler target", metrics: [...custom(M.connectedWorkers), ...custom(M.desiredCapacity)] },
    { title: "Endpoints: requests", metrics: perTargetGroup("RequestCount"), stat: "Sum" },
    { title: "Endpoints: target response time (s)", metrics: perTargetGroup("TargetResponseTime"), stat: "p95" },
    {
      title: "Endpoints: 5xx",
      metrics: [...perTargetGroup("HTTPCode_Target_5XX_Count"), ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", lb.loadBalancer.arnSuffix]],
      stat: "Sum",
    },
    { title: "CAS bucket: requests and errors", metrics: [s3("AllRequests"), s3("4xxErrors"), s3("5xxErrors")], stat: "Sum" },
    {
      title: "Lambda errors and autoscaler feed errors",
      metrics: [
        ...functionNames.map((fn): MetricPath => ["AWS/Lambda", "Errors", "FunctionName", fn]),
        [M.namespace, M.feedErrors, M.dimensions.deployment, cluster.name],
      ],
      stat: "Sum",
    },
  ];
  return new CloudwatchDashboard(scope, "Dashboard", {
    dashboardName: physicalName(cluster.name, "operations"),
    dashboardBody: dashboardBody(region, widgets),
  });
}
