// The real handler against moto's server: real SDK clients, real HTTP, moto's Route 53, Auto Scaling and EC2.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { motoEnvironment } from "../../../tools/moto/moto-server.js";
import { createAwsClients } from "../src/handler/aws.js";
import { createHandler, type SchedulerDnsHandler } from "../src/handler/handler.js";
import type { LogEntry } from "@nativelink-aws/conventions/lambda-handler";
import { InvalidEventError } from "../src/handler/trigger.js";
import { countChangeCalls, zoneRequests } from "./support/counters.js";
import { autoScalingEvent, scheduledEvent, snsNotificationEvent } from "./support/events.js";
import { createSchedulerGroup, type SchedulerGroup } from "./support/scheduler-group.js";

const endpoint = inject("motoEndpoint");
// Only the environment points the SDK at moto: this also proves that the SDK honours AWS_ENDPOINT_URL.
Object.assign(process.env, motoEnvironment(endpoint));

interface Harness {
  readonly group: SchedulerGroup;
  readonly handler: SchedulerDnsHandler;
  readonly changeCalls: { readonly count: number };
  readonly logs: LogEntry[];
}

async function harness(instances: number): Promise<Harness> {
  const group = await createSchedulerGroup(endpoint, { instances });
  const clients = createAwsClients();
  const changeCalls = countChangeCalls(clients.route53);
  const logs: LogEntry[] = [];
  const config = { schedulerAutoScalingGroupName: group.groupName, hostedZoneId: group.hostedZoneId, recordName: group.recordName, recordTtlSeconds: 30 };
  return { group, handler: createHandler({ config, clients, log: (entry) => logs.push(entry) }), changeCalls, logs };
}

describe("handler against moto", () => {
  let subject: Harness;
  beforeAll(async () => {
    subject = await harness(1);
  });

  it("deploy-time sync {} creates the record with the scheduler's private IP and TTL 30", async () => {
    const [instanceId] = await subject.group.instanceIds();
    const ip = await subject.group.privateIp(instanceId!);
    const result = await subject.handler({}, { awsRequestId: "req-1" });
    expect(result).toMatchObject({ outcome: "updated", ips: [ip], previousIps: [], trigger: "direct invocation {}" });
    expect(result.changeId).toEqual(expect.any(String));
    expect(await subject.group.readRecord()).toEqual({ ips: [ip], ttl: 30 });
    expect(subject.changeCalls.count).toBe(1);
    expect(subject.logs.at(-1)).toMatchObject({ level: "info", message: "record updated", requestId: "req-1", liveInstanceIds: [instanceId] });
  });

  it("an unchanged record makes no change request (scheduled sweep, SNS test notification, launch event)", async () => {
    const [instanceId] = await subject.group.instanceIds();
    const before = await zoneRequests(endpoint, subject.group.hostedZoneId);
    const callsBefore = subject.changeCalls.count;
    for (const event of [
      scheduledEvent(),
      snsNotificationEvent("autoscaling:TEST_NOTIFICATION", subject.group.groupName),
      autoScalingEvent("EC2 Instance Launch Successful", subject.group.groupName, instanceId!),
    ]) {
      expect(await subject.handler(event)).toMatchObject({ outcome: "unchanged", reason: expect.stringMatching(/already holds/) });
    }
    expect(subject.changeCalls.count).toBe(callsBefore);
    const after = await zoneRequests(endpoint, subject.group.hostedZoneId);
    expect(after.change).toBe(before.change);
    expect(after.list).toBe(before.list + 3);
  });

  it("follows a scheduler replacement (EventBridge terminate, then launch)", async () => {
    const [oldId] = await subject.group.instanceIds();
    const oldIp = await subject.group.privateIp(oldId!);
    await subject.group.replace(oldId!);
    const [newId] = await subject.group.instanceIds();
    const newIp = await subject.group.privateIp(newId!);
    expect(newId).not.toBe(oldId);

    const terminated = await subject.handler(autoScalingEvent("EC2 Instance Terminate Successful", subject.group.groupName, oldId!));
    expect(terminated).toMatchObject({ outcome: "updated", ips: [newIp], previousIps: [oldIp] });
    expect(await subject.group.readRecord()).toEqual({ ips: [newIp], ttl: 30 });

    const callsBefore = subject.changeCalls.count;
    expect(await subject.handler(autoScalingEvent("EC2 Instance Launch Successful", subject.group.groupName, newId!))).toMatchObject({ outcome: "unchanged" });
    expect(subject.changeCalls.count).toBe(callsBefore);
  });

  it("follows a replacement announced by an SNS-wrapped notification (the original's path)", async () => {
    const [oldId] = await subject.group.instanceIds();
    await subject.group.replace(oldId!);
    const [newId] = await subject.group.instanceIds();
    const result = await subject.handler(snsNotificationEvent("autoscaling:EC2_INSTANCE_TERMINATE", subject.group.groupName, oldId!));
    expect(result).toMatchObject({ outcome: "updated", ips: [await subject.group.privateIp(newId!)] });
  });

  it("a malformed event throws and leaves the record untouched, without any Route 53 request", async () => {
    const record = await subject.group.readRecord();
    const before = await zoneRequests(endpoint, subject.group.hostedZoneId);
    const callsBefore = subject.changeCalls.count;
    const malformed = {
      ...autoScalingEvent("EC2 Instance Launch Successful", subject.group.groupName, "i-0123456789abcdef0"),
      detail: { AutoScalingGroupName: subject.group.groupName },
    };
    await expect(subject.handler(malformed)).rejects.toThrow(InvalidEventError);
    await expect(subject.handler(malformed)).rejects.toThrow(/detail\.EC2InstanceId: is missing/);
    expect(await zoneRequests(endpoint, subject.group.hostedZoneId)).toEqual(before);
    expect(subject.changeCalls.count).toBe(callsBefore);
    expect(await subject.group.readRecord()).toEqual(record);
    expect(subject.logs.at(-1)).toMatchObject({ level: "error", message: "rejected event; Route 53 not called" });
  });

  it("an event for another group is rejected without a Route 53 request", async () => {
    const before = await zoneRequests(endpoint, subject.group.hostedZoneId);
    await expect(subject.handler(autoScalingEvent("EC2 Instance Launch Successful", "someone-elses-group", "i-0123456789abcdef0"))).rejects.toThrow(
      /for Auto Scaling group "someone-elses-group", but this function keeps the record of "nativelink-scheduler-/,
    );
    expect(await zoneRequests(endpoint, subject.group.hostedZoneId)).toEqual(before);
  });

  it("with no live scheduler the record is kept as it is, not emptied", async () => {
    const record = await subject.group.readRecord();
    await subject.group.setCapacity(0);
    const callsBefore = subject.changeCalls.count;
    const result = await subject.handler(scheduledEvent());
    expect(result).toMatchObject({ outcome: "no-live-scheduler", ips: record?.ips, reason: expect.stringMatching(/rather than an empty answer/) });
    expect(subject.changeCalls.count).toBe(callsBefore);
    expect(await subject.group.readRecord()).toEqual(record);
    expect(subject.logs.at(-1)).toMatchObject({ level: "warn", message: "no live scheduler; record kept" });
  });
});

describe("handler against moto: two instances and lifecycle actions", () => {
  it("leaves out an instance whose terminate lifecycle action is under way, though moto still has it InService", async () => {
    const subject = await harness(2);
    const ids = await subject.group.instanceIds();
    const ips = await Promise.all(ids.map((id) => subject.group.privateIp(id)));
    expect((await subject.handler(autoScalingEvent("EC2 Instance-launch Lifecycle Action", subject.group.groupName, ids[1]!))).ips).toEqual([...ips].sort());

    const leaving = await subject.handler(autoScalingEvent("EC2 Instance-terminate Lifecycle Action", subject.group.groupName, ids[0]!));
    expect(leaving).toMatchObject({ outcome: "updated", ips: [ips[1]] });
    expect(await subject.group.readRecord()).toEqual({ ips: [ips[1]], ttl: 30 });
    expect(subject.logs.at(-1)).toMatchObject({ excluded: [{ instanceId: ids[0], why: "the event says it is terminating" }] });
  });

  it("rewrites a record left with the original's TTL of 300", async () => {
    const subject = await harness(1);
    const [instanceId] = await subject.group.instanceIds();
    const ip = await subject.group.privateIp(instanceId!);
    await subject.group.writeRecord([ip], 300);
    expect(await subject.handler({})).toMatchObject({ outcome: "updated", reason: "the TTL is 300s, not 30s" });
    expect(await subject.group.readRecord()).toEqual({ ips: [ip], ttl: 30 });
  });

  it("fails clearly, without touching Route 53, when the group does not exist", async () => {
    const group = await createSchedulerGroup(endpoint, { instances: 0 });
    const config = { schedulerAutoScalingGroupName: "no-such-group", hostedZoneId: group.hostedZoneId, recordName: group.recordName, recordTtlSeconds: 30 };
    const handler = createHandler({ config, clients: createAwsClients(), log: () => {} });
    await expect(handler({})).rejects.toThrow('Auto Scaling group "no-such-group" not found: check SCHEDULER_ASG_NAME; the record was left as it is');
    expect(await zoneRequests(endpoint, group.hostedZoneId)).toEqual({ change: 0, list: 0 });
  });
});
