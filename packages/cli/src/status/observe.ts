// The AWS reads of `status`: Auto Scaling groups, the scheduler's private IPs, its DNS record, and metrics.
import { METRIC_DIMENSIONS } from "@nativelink-aws/conventions";
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, type AutoScalingGroup } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { ListHostedZonesByNameCommand, ListResourceRecordSetsCommand, Route53Client } from "@aws-sdk/client-route-53";
import { awsClientConfig, type AwsTarget } from "../aws-clients.js";
import { awsCall } from "../aws-errors.js";
import { METRICS, METRIC_NAMESPACE, type MetricName, type MetricPoint, type SchedulerInstance } from "./report.js";

export interface StatusClients {
  readonly autoScaling: AutoScalingClient;
  readonly ec2: EC2Client;
  readonly route53: Route53Client;
  readonly cloudWatch: CloudWatchClient;
  destroy(): void;
}

export function createStatusClients(target: AwsTarget): StatusClients {
  const config = awsClientConfig(target);
  const clients = {
    autoScaling: new AutoScalingClient(config),
    ec2: new EC2Client(config),
    route53: new Route53Client(config),
    cloudWatch: new CloudWatchClient(config),
  };
  return { ...clients, destroy: () => Object.values(clients).forEach((client) => client.destroy()) };
}

/** Groups by name; a name that does not exist is absent from the map. */
export async function describeGroups(autoScaling: AutoScalingClient, names: readonly string[]): Promise<Map<string, AutoScalingGroup>> {
  const groups = new Map<string, AutoScalingGroup>();
  let NextToken: string | undefined;
  do {
    const page = await awsCall("autoscaling:DescribeAutoScalingGroups", () =>
      autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [...names], NextToken })),
    );
    for (const group of page.AutoScalingGroups ?? []) if (group.AutoScalingGroupName) groups.set(group.AutoScalingGroupName, group);
    NextToken = page.NextToken;
  } while (NextToken);
  return groups;
}

/** The group's instances with their private IPs (from EC2). */
export async function schedulerInstances(ec2: EC2Client, group: AutoScalingGroup): Promise<SchedulerInstance[]> {
  const members = group.Instances ?? [];
  if (members.length === 0) return [];
  const described = await awsCall("ec2:DescribeInstances", () =>
    ec2.send(new DescribeInstancesCommand({ InstanceIds: members.map((member) => member.InstanceId ?? "") })),
  );
  const ips = new Map<string, string | undefined>();
  for (const reservation of described.Reservations ?? [])
    for (const instance of reservation.Instances ?? []) ips.set(instance.InstanceId ?? "", instance.PrivateIpAddress);
  return members.map((member) => ({ id: member.InstanceId ?? "", lifecycleState: member.LifecycleState ?? "", privateIp: ips.get(member.InstanceId ?? "") }));
}

/** The private zone named `zoneName` and the values of its A record `recordName` (undefined when absent). */
export async function privateARecord(route53: Route53Client, zoneName: string, recordName: string): Promise<{ zoneId?: string; ips?: string[] }> {
  const listed = await awsCall("route53:ListHostedZonesByName", () => route53.send(new ListHostedZonesByNameCommand({ DNSName: zoneName, MaxItems: 100 })));
  const zone = (listed.HostedZones ?? []).find((candidate) => candidate.Config?.PrivateZone && candidate.Name?.toLowerCase() === `${zoneName}.`);
  if (!zone?.Id) return {};
  const zoneId = zone.Id.replace(/^\/hostedzone\//, "");
  const records = await awsCall("route53:ListResourceRecordSets", () =>
    route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: recordName, StartRecordType: "A", MaxItems: 1 })),
  );
  const record = (records.ResourceRecordSets ?? []).find((set) => set.Type === "A" && set.Name?.toLowerCase().replace(/\.$/, "") === recordName);
  return { zoneId, ips: record ? (record.ResourceRecords ?? []).map((value) => value.Value ?? "") : undefined };
}

/** The latest datapoint of each autoscaler metric per fleet over the last `minutes`; null when there is none. */
export async function latestMetrics(
  cloudWatch: CloudWatchClient,
  deployment: string,
  fleets: readonly string[],
  now: Date,
  minutes = 30,
): Promise<Record<string, Record<MetricName, MetricPoint | null>>> {
  const queries = fleets.flatMap((fleet, fleetIndex) =>
    METRICS.map((metric, metricIndex) => ({
      Id: `m${fleetIndex}_${metricIndex}`,
      MetricStat: {
        Metric: {
          Namespace: METRIC_NAMESPACE,
          MetricName: metric,
          Dimensions: [
            { Name: METRIC_DIMENSIONS.deployment, Value: deployment },
            { Name: METRIC_DIMENSIONS.fleet, Value: fleet },
          ],
        },
        Period: 60,
        Stat: "Average",
      },
    })),
  );
  // Whole minutes, as CloudWatch recommends for 60 s periods; ending after this minute keeps its datapoints.
  const end = new Date((Math.floor(now.getTime() / 60_000) + 1) * 60_000);
  const start = new Date(end.getTime() - minutes * 60_000);
  const results = new Map<string, MetricPoint>();
  let NextToken: string | undefined;
  do {
    const page = await awsCall("cloudwatch:GetMetricData", () =>
      cloudWatch.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: start, EndTime: end, ScanBy: "TimestampDescending", NextToken })),
    );
    for (const result of page.MetricDataResults ?? []) {
      const [value] = result.Values ?? [];
      const [timestamp] = result.Timestamps ?? [];
      if (result.Id && value !== undefined && timestamp && !results.has(result.Id)) results.set(result.Id, { value, timestamp: timestamp.toISOString() });
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return Object.fromEntries(
    fleets.map((fleet, fleetIndex) => [
      fleet,
      Object.fromEntries(METRICS.map((metric, metricIndex) => [metric, results.get(`m${fleetIndex}_${metricIndex}`) ?? null])) as Record<
        MetricName,
        MetricPoint | null
      >,
    ]),
  );
}
