// Builds, in moto, what the cluster builds on AWS: a VPC and the worker groups `<name>-workers-<arch>`.
// Names are unique per call, so test files share one moto server.
import { AutoScalingClient, CreateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { CreateLaunchTemplateCommand, CreateSubnetCommand, CreateVpcCommand, DescribeImagesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { randomUUID } from "node:crypto";
import { recordedRequests } from "../../../../tools/moto/moto-server.js";
import { loadConfig, type HandlerConfig } from "../../src/handler/config.js";

export interface WorkerGroups {
  readonly deploymentName: string;
  readonly groupNames: { x86_64: string; arm64: string };
  desired(groupName: string): Promise<number>;
  /** Metric names in the NativeLink namespace with this deployment's Deployment dimension. */
  metricNames(): Promise<string[]>;
  /** Every value of a metric over the last 10 minutes (one-minute maxima), newest first. */
  values(metricName: string, dimensions: Record<string, string>): Promise<number[]>;
  /** RequiredCapacity datapoints `secondsAgo` before `now` (epoch milliseconds, default the wall clock). */
  putRequiredHistory(fleet: string, samples: { secondsAgo: number; units: number }[], now?: number): Promise<void>;
  /** Requests moto received that name one of the groups, by action (SetDesiredCapacity, DescribeAutoScalingGroups). */
  groupRequests(action: string): Promise<number>;
}

export async function createWorkerGroups(endpoint: string, options: { min: number; max: number; desired: number }): Promise<WorkerGroups> {
  const common = { endpoint, region: "us-east-1", credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
  const ec2 = new EC2Client(common);
  const autoScaling = new AutoScalingClient(common);
  const cloudWatch = new CloudWatchClient(common);
  const unique = randomUUID().slice(0, 8);
  const deploymentName = `t${unique}`;
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.30.0.0/16" }));
  const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc?.VpcId ?? "", CidrBlock: "10.30.1.0/24", AvailabilityZone: "us-east-1a" }));
  const imageId = (await ec2.send(new DescribeImagesCommand({}))).Images?.[0]?.ImageId ?? "";
  const groupNames = { x86_64: `${deploymentName}-workers-x86_64`, arm64: `${deploymentName}-workers-arm64` };
  for (const [architecture, groupName] of Object.entries(groupNames)) {
    await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: groupName,
        LaunchTemplateData: { ImageId: imageId, InstanceType: architecture === "x86_64" ? "m6id.large" : "c6gd.medium" },
      }),
    );
    await autoScaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: groupName,
        LaunchTemplate: { LaunchTemplateName: groupName, Version: "$Latest" },
        MinSize: options.min,
        MaxSize: options.max,
        DesiredCapacity: options.desired,
        VPCZoneIdentifier: subnet.Subnet?.SubnetId ?? "",
      }),
    );
  }
  const names = Object.values(groupNames);
  return {
    deploymentName,
    groupNames,
    async desired(groupName) {
      const groups = await autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName] }));
      return groups.AutoScalingGroups?.[0]?.DesiredCapacity ?? -1;
    },
    async metricNames() {
      const listed = await cloudWatch.send(new ListMetricsCommand({ Namespace: "NativeLink", Dimensions: [{ Name: "Deployment", Value: deploymentName }] }));
      return [...new Set((listed.Metrics ?? []).map((metric) => metric.MetricName ?? ""))].sort();
    },
    async values(metricName, dimensions) {
      const end = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 60_000);
      const data = await cloudWatch.send(
        new GetMetricDataCommand({
          StartTime: new Date(end.getTime() - 10 * 60_000),
          EndTime: end,
          ScanBy: "TimestampDescending",
          MetricDataQueries: [
            {
              Id: "m",
              MetricStat: {
                Metric: { Namespace: "NativeLink", MetricName: metricName, Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })) },
                Period: 60,
                Stat: "Maximum",
              },
            },
          ],
        }),
      );
      return data.MetricDataResults?.[0]?.Values ?? [];
    },
    async putRequiredHistory(fleet, samples, now = Date.now()) {
      await cloudWatch.send(
        new PutMetricDataCommand({
          Namespace: "NativeLink",
          MetricData: samples.map((sample) => ({
            MetricName: "RequiredCapacity",
            Value: sample.units,
            Timestamp: new Date(now - sample.secondsAgo * 1000),
            Dimensions: [
              { Name: "Deployment", Value: deploymentName },
              { Name: "Fleet", Value: fleet },
            ],
          })),
        }),
      );
    },
    async groupRequests(action) {
      return (await recordedRequests(endpoint)).filter(
        (request) => request.body.includes(`Action=${action}`) && names.some((name) => request.body.includes(name)),
      ).length;
    },
  };
}

/** The handler's configuration for the groups' x86_64 fleet only, reading `feedUrl`, with these variables on top. */
export function x86Config(groups: WorkerGroups, feedUrl: string, environment: Record<string, string>): HandlerConfig {
  return loadConfig({ DEPLOYMENT_NAME: groups.deploymentName, FEED_URL: feedUrl, X86_64_GROUP_NAME: groups.groupNames.x86_64, ...environment });
}
