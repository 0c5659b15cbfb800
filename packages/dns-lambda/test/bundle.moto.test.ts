// The bundled handler (dist/lambda/index.mjs, what Lambda runs) in fresh Node processes against moto, one per event kind.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { motoEnvironment } from "../../../tools/moto/moto-server.js";
import { zoneRequests } from "./support/counters.js";
import { autoScalingEvent, scheduledEvent, snsNotificationEvent } from "./support/events.js";
import { createSchedulerGroup, type SchedulerGroup } from "./support/scheduler-group.js";

const endpoint = inject("motoEndpoint");
const bundlePath = fileURLToPath(new URL("../dist/lambda/index.mjs", import.meta.url));
const runner = fileURLToPath(new URL("../../../tools/lambda/invoke-bundle.mjs", import.meta.url));

interface Invocation {
  readonly status: number | null;
  readonly result?: Record<string, unknown>;
  readonly logs: Record<string, unknown>[];
  readonly stderr: string;
}

function invokeBundle(event: unknown, environment: Record<string, string>): Invocation {
  const child = spawnSync(process.execPath, [runner, bundlePath, JSON.stringify(event)], { env: { PATH: process.env.PATH, ...environment }, encoding: "utf8" });
  const lines = child.stdout.split("\n").filter((line) => line !== "");
  const resultLine = lines.find((line) => line.startsWith("RESULT "));
  const logs = lines.filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Record<string, unknown>);
  return { status: child.status, logs, stderr: child.stderr, ...(resultLine ? { result: JSON.parse(resultLine.slice(7)) as Record<string, unknown> } : {}) };
}

describe("bundled handler against moto", () => {
  let group: SchedulerGroup;
  let environment: Record<string, string>;
  beforeAll(async () => {
    expect(existsSync(bundlePath), `${bundlePath} is missing: run "npm run build" in packages/dns-lambda`).toBe(true);
    group = await createSchedulerGroup(endpoint, { instances: 1 });
    environment = { ...motoEnvironment(endpoint), SCHEDULER_ASG_NAME: group.groupName, HOSTED_ZONE_ID: group.hostedZoneId, RECORD_NAME: group.recordName };
  });

  it("{} creates the record; the structured log carries the decision", async () => {
    const [instanceId] = await group.instanceIds();
    const ip = await group.privateIp(instanceId!);
    const invocation = invokeBundle({}, environment);
    expect(invocation.stderr).toBe("");
    expect(invocation.result).toMatchObject({ outcome: "updated", ips: [ip] });
    expect(invocation.logs).toEqual([
      expect.objectContaining({ level: "info", message: "record updated", requestId: "bundle-test", liveInstanceIds: [instanceId], excluded: [] }),
    ]);
    expect(await group.readRecord()).toEqual({ ips: [ip], ttl: 30 });
  });

  it("a scheduled sweep and a launch lifecycle action change nothing: no change request reaches moto", async () => {
    const [instanceId] = await group.instanceIds();
    const before = await zoneRequests(endpoint, group.hostedZoneId);
    expect(invokeBundle(scheduledEvent(), environment).result).toMatchObject({ outcome: "unchanged" });
    expect(invokeBundle(autoScalingEvent("EC2 Instance-launch Lifecycle Action", group.groupName, instanceId!), environment).result).toMatchObject({
      outcome: "unchanged",
    });
    expect((await zoneRequests(endpoint, group.hostedZoneId)).change).toBe(before.change);
  });

  it("follows replacements announced by EventBridge and by SNS", async () => {
    for (const announce of [
      (oldId: string) => autoScalingEvent("EC2 Instance Terminate Successful", group.groupName, oldId),
      (oldId: string) => snsNotificationEvent("autoscaling:EC2_INSTANCE_TERMINATE", group.groupName, oldId),
    ]) {
      const [oldId] = await group.instanceIds();
      await group.replace(oldId!);
      const [newId] = await group.instanceIds();
      const newIp = await group.privateIp(newId!);
      expect(invokeBundle(announce(oldId!), environment).result).toMatchObject({ outcome: "updated", ips: [newIp] });
      expect(await group.readRecord()).toEqual({ ips: [newIp], ttl: 30 });
      expect(invokeBundle(autoScalingEvent("EC2 Instance Launch Successful", group.groupName, newId!), environment).result).toMatchObject({
        outcome: "unchanged",
      });
    }
  });

  it("a malformed event fails the invocation and leaves the record untouched, without a Route 53 request", async () => {
    const record = await group.readRecord();
    const before = await zoneRequests(endpoint, group.hostedZoneId);
    const invocation = invokeBundle({ Records: [{ EventSource: "aws:sns", Sns: { Message: "not json" } }] }, environment);
    expect(invocation.status).toBe(1);
    expect(invocation.stderr).toMatch(/^InvalidEventError: Invalid SNS notification event: Records\.0\.Sns\.Message: is not JSON/);
    expect(invocation.logs).toEqual([expect.objectContaining({ level: "error", message: "rejected event; Route 53 not called" })]);
    expect(await zoneRequests(endpoint, group.hostedZoneId)).toEqual(before);
    expect(await group.readRecord()).toEqual(record);
  });

  it("fails at start-up, naming each bad variable, when configuration is wrong", () => {
    const invocation = invokeBundle({}, { ...motoEnvironment(endpoint), HOSTED_ZONE_ID: "not-a-zone", RECORD_TTL: "soon" });
    expect(invocation.status).toBe(1);
    expect(invocation.stderr).toContain("SCHEDULER_ASG_NAME is missing");
    expect(invocation.stderr).toContain("HOSTED_ZONE_ID is not a hosted zone id");
    expect(invocation.stderr).toContain("RECORD_NAME is missing");
    expect(invocation.stderr).toContain('RECORD_TTL is "soon", not a whole number of seconds');
  });
});
