// The thin layer of AWS SDK calls. Each response is validated with zod before the decision sees it.
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { ChangeResourceRecordSetsCommand, ListResourceRecordSetsCommand, Route53Client } from "@aws-sdk/client-route-53";
import * as z from "zod/mini";
import type { CurrentRecord, Ec2Instance, GroupInstance } from "./decision.js";
import { normalizeRecordName } from "./record-name.js";

export interface AwsClients {
  readonly route53: Route53Client;
  readonly autoScaling: AutoScalingClient;
  readonly ec2: EC2Client;
}

/**
 * Clients with adaptive retries (client-side rate limiting on throttling: a burst of scale events must not exhaust
 * the Route 53 quota). Region, credentials and AWS_ENDPOINT_URL come from the environment, as the SDK resolves them.
 */
export function createAwsClients(): AwsClients {
  const options = { retryMode: "adaptive", maxAttempts: 5 } as const;
  return { route53: new Route53Client(options), autoScaling: new AutoScalingClient(options), ec2: new EC2Client(options) };
}

const groupsSchema = z.object({
  AutoScalingGroups: z._default(
    z.array(z.object({ Instances: z._default(z.array(z.object({ InstanceId: z.string(), LifecycleState: z.string() })), []) })),
    [],
  ),
});

/** The group's instances, or `null` when the group does not exist. */
export async function describeGroupInstances(clients: AwsClients, groupName: string): Promise<GroupInstance[] | null> {
  const response = groupsSchema.parse(await clients.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName] })));
  const group = response.AutoScalingGroups[0];
  return group ? group.Instances.map((instance) => ({ instanceId: instance.InstanceId, lifecycleState: instance.LifecycleState })) : null;
}

const instancesSchema = z.object({
  Reservations: z._default(
    z.array(
      z.object({
        Instances: z._default(z.array(z.object({ InstanceId: z.string(), State: z.object({ Name: z.string() }), PrivateIpAddress: z.optional(z.ipv4()) })), []),
      }),
    ),
    [],
  ),
  NextToken: z.optional(z.string()),
});

/** EC2's view of these instances. A filter, not InstanceIds: an id EC2 no longer knows is absent, not an error. */
export async function describeInstances(clients: AwsClients, instanceIds: readonly string[]): Promise<Ec2Instance[]> {
  if (instanceIds.length === 0) return [];
  const instances: Ec2Instance[] = [];
  let nextToken: string | undefined;
  do {
    const command = new DescribeInstancesCommand({ Filters: [{ Name: "instance-id", Values: [...instanceIds] }], NextToken: nextToken });
    const page = instancesSchema.parse(await clients.ec2.send(command));
    for (const instance of page.Reservations.flatMap((reservation) => reservation.Instances)) {
      instances.push({ instanceId: instance.InstanceId, state: instance.State.Name, privateIpAddress: instance.PrivateIpAddress });
    }
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return instances;
}

const recordSetsSchema = z.object({
  ResourceRecordSets: z.array(
    z.object({
      Name: z.string(),
      Type: z.string(),
      TTL: z.optional(z.number()),
      ResourceRecords: z._default(z.array(z.object({ Value: z.string() })), []),
    }),
  ),
});

/** The A record `recordName` in the zone, or `null`. */
export async function readRecord(clients: AwsClients, hostedZoneId: string, recordName: string): Promise<CurrentRecord | null> {
  const command = new ListResourceRecordSetsCommand({ HostedZoneId: hostedZoneId, StartRecordName: recordName, StartRecordType: "A", MaxItems: 1 });
  const response = recordSetsSchema.parse(await clients.route53.send(command));
  // The listing starts at the name but continues past it: the first set may be another record.
  const record = response.ResourceRecordSets.find((set) => set.Type === "A" && normalizeRecordName(set.Name) === recordName);
  return record ? { ips: record.ResourceRecords.map((resource) => resource.Value), ttlSeconds: record.TTL } : null;
}

const changeSchema = z.object({ ChangeInfo: z.object({ Id: z.string(), Status: z.string() }) });

/** One UPSERT of the whole A record. */
export async function upsertRecord(
  clients: AwsClients,
  change: { hostedZoneId: string; recordName: string; ttlSeconds: number; ips: readonly string[]; comment: string },
): Promise<{ changeId: string; status: string }> {
  const command = new ChangeResourceRecordSetsCommand({
    HostedZoneId: change.hostedZoneId,
    ChangeBatch: {
      Comment: change.comment.slice(0, 256),
      Changes: [
        {
          Action: "UPSERT",
          ResourceRecordSet: { Name: change.recordName, Type: "A", TTL: change.ttlSeconds, ResourceRecords: change.ips.map((ip) => ({ Value: ip })) },
        },
      ],
    },
  });
  const response = changeSchema.parse(await clients.route53.send(command));
  return { changeId: response.ChangeInfo.Id, status: response.ChangeInfo.Status };
}
