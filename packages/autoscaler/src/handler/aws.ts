// The thin layer of AWS SDK calls. Each response is validated with zod before the decision sees it.
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand, type MetricDatum } from "@aws-sdk/client-cloudwatch";
import { VCPUS_PER_CAPACITY_UNIT_TAG } from "@nativelink-aws/conventions";
import * as z from "zod/mini";
import type { RequiredCapacitySample } from "../policy/capacity-policy.js";
import { minuteStart } from "../policy/fleet-step.js";
import type { GroupCapacity } from "./demand.js";

export interface AwsClients {
  readonly cloudWatch: CloudWatchClient;
  readonly autoScaling: AutoScalingClient;
}

/** Clients with adaptive retries. Region, credentials and AWS_ENDPOINT_URL come from the environment. */
export function createAwsClients(): AwsClients {
  const options = { retryMode: "adaptive", maxAttempts: 5 } as const;
  return { cloudWatch: new CloudWatchClient(options), autoScaling: new AutoScalingClient(options) };
}

const count = z.number().check(z.int(), z.gte(0));
const groupsSchema = z.object({
  AutoScalingGroups: z._default(
    z.array(
      z.object({
        AutoScalingGroupName: z.string(),
        MinSize: count,
        MaxSize: count,
        DesiredCapacity: count,
        // Only InService instances count as workers: a warm-pool instance (Warmed:*) never is one.
        Instances: z._default(z.array(z.object({ LifecycleState: z.string() })), []),
        Tags: z._default(z.array(z.object({ Key: z.optional(z.string()), Value: z.optional(z.string()) })), []),
      }),
    ),
    [],
  ),
});

/** vCPUs per unit of a group's capacity: the tag's whole number, 1 without it (weights are vCPUs). */
export function vcpusPerCapacityUnit(groupName: string, tags: readonly { Key?: string; Value?: string }[]): number {
  const value = tags.find((tag) => tag.Key === VCPUS_PER_CAPACITY_UNIT_TAG)?.Value;
  if (value === undefined) return 1;
  if (!/^[1-9]\d{0,2}$/.test(value)) throw new Error(`group "${groupName}": tag ${VCPUS_PER_CAPACITY_UNIT_TAG}=${value} is not a whole number of vCPUs`);
  return Number(value);
}

/** The group's capacity for `vcpus`: whole units, enough to hold them. */
export function capacityUnitsFor(vcpus: number, vcpusPerUnit: number): number {
  return Math.ceil(vcpus / vcpusPerUnit);
}

/** The named groups' capacity in vCPUs; a name Auto Scaling does not know is absent from the map. */
export async function describeGroups(clients: AwsClients, names: readonly string[]): Promise<Map<string, GroupCapacity>> {
  const response = groupsSchema.parse(await clients.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [...names] })));
  return new Map(
    response.AutoScalingGroups.map((group) => {
      const vcpus = vcpusPerCapacityUnit(group.AutoScalingGroupName, group.Tags);
      const capacity: GroupCapacity = {
        desiredCapacity: group.DesiredCapacity * vcpus,
        minCapacity: group.MinSize * vcpus,
        maxCapacity: group.MaxSize * vcpus,
        inServiceInstances: group.Instances.filter((instance) => instance.LifecycleState === "InService").length,
        vcpusPerUnit: vcpus,
      };
      return [group.AutoScalingGroupName, capacity];
    }),
  );
}

/** Sets the group's desired capacity, in the group's units, now (no cooldown: the policy is the only one acting). */
export async function setDesiredCapacity(clients: AwsClients, groupName: string, units: number): Promise<void> {
  await clients.autoScaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: groupName, DesiredCapacity: units, HonorCooldown: false }));
}

/** PutMetricData in batches of at most 1,000 datums (the API's limit). */
export async function putMetrics(clients: AwsClients, namespace: string, datums: readonly MetricDatum[]): Promise<void> {
  for (let start = 0; start < datums.length; start += 1000) {
    await clients.cloudWatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: datums.slice(start, start + 1000) }));
  }
}

const metricDataSchema = z.object({
  MetricDataResults: z._default(
    z.array(z.object({ Id: z.string(), Timestamps: z._default(z.array(z.date()), []), Values: z._default(z.array(z.number()), []) })),
    [],
  ),
  NextToken: z.optional(z.string()),
});

/**
 * One-minute maxima of a metric per query id over [start, end]. Each sample is stamped with its minute's end
 * (clipped to `end`), so a minute counts as evidence only once it has begun inside the window.
 */
export async function readMinuteMaxima(
  clients: AwsClients,
  queries: readonly { id: string; namespace: string; metricName: string; dimensions: Record<string, string> }[],
  startSeconds: number,
  endSeconds: number,
): Promise<Map<string, RequiredCapacitySample[]>> {
  const samples = new Map<string, RequiredCapacitySample[]>(queries.map((query) => [query.id, []]));
  const MetricDataQueries = queries.map((query) => ({
    Id: query.id,
    MetricStat: {
      Metric: {
        Namespace: query.namespace,
        MetricName: query.metricName,
        Dimensions: Object.entries(query.dimensions).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: 60,
      Stat: "Maximum",
    },
  }));
  let NextToken: string | undefined;
  do {
    // CloudWatch rounds the start down to the minute itself; asking for that makes every answer's minutes explicit.
    const StartTime = new Date(minuteStart(startSeconds) * 1000);
    const command = new GetMetricDataCommand({ MetricDataQueries, StartTime, EndTime: new Date(endSeconds * 1000), NextToken });
    const page = metricDataSchema.parse(await clients.cloudWatch.send(command));
    for (const result of page.MetricDataResults) {
      result.Timestamps.forEach((timestamp, index) => {
        const value = result.Values[index];
        if (value !== undefined) samples.get(result.Id)?.push({ atSeconds: Math.min(endSeconds, timestamp.getTime() / 1000 + 60), units: value });
      });
    }
    NextToken = page.NextToken || undefined;
  } while (NextToken);
  return samples;
}
