// Status's pure decisions: group names, DNS agreement, rendering, exit code.
import { describe, expect, it } from "vitest";
import { compareSchedulerDns, groupName, renderStatus, statusExitCode, type SchedulerInstance, type StatusReport } from "../src/status/report.js";

const live = (ip: string, lifecycleState = "InService"): SchedulerInstance => ({ id: `i-${ip}`, lifecycleState, privateIp: ip });
const names = { recordName: "scheduler.internal.build.example.com", zoneName: "internal.build.example.com", zoneFound: true };

describe("compareSchedulerDns", () => {
  it.each<[string, Partial<Parameters<typeof compareSchedulerDns>[0]>, string]>([
    ["record = the instance's IP", { recordIps: ["10.0.1.5"], instances: [live("10.0.1.5")] }, "agree"],
    ["record points elsewhere", { recordIps: ["10.0.9.9"], instances: [live("10.0.1.5")] }, "disagree"],
    [
      "record still names a terminating instance too",
      { recordIps: ["10.0.1.5", "10.0.2.6"], instances: [live("10.0.1.5"), live("10.0.2.6", "Terminating")] },
      "disagree",
    ],
    ["a pending replacement does not count yet", { recordIps: ["10.0.1.5"], instances: [live("10.0.1.5"), live("10.0.3.7", "Pending")] }, "agree"],
    ["no record", { recordIps: undefined, instances: [live("10.0.1.5")] }, "no-record"],
    ["no zone", { zoneFound: false, recordIps: undefined, instances: [live("10.0.1.5")] }, "no-zone"],
    ["no group", { recordIps: ["10.0.1.5"], instances: undefined }, "no-scheduler"],
    ["group without instances in service", { recordIps: ["10.0.1.5"], instances: [live("10.0.1.5", "Pending")] }, "no-scheduler"],
  ])("%s → %s", (_, input, verdict) => {
    expect(compareSchedulerDns({ ...names, recordIps: undefined, instances: [], ...input }).verdict).toBe(verdict);
  });
});

describe("report", () => {
  const report: StatusReport = {
    deployment: "nativelink",
    schedulerDns: { verdict: "agree", detail: "ok", record: names.recordName, recordIps: ["10.0.1.5"], instances: [live("10.0.1.5")] },
    fleets: [
      { fleet: "cas", group: "nativelink-cas", exists: true, desired: 2, inService: 2, min: 1, max: 25 },
      { fleet: "workers-arm64", group: "nativelink-workers-arm64", exists: false },
    ],
    metrics: {
      "workers-x86_64": {
        QueuedActions: { value: 4, timestamp: "2025-01-01T00:00:00.000Z" },
        ExecutingActions: null,
        ConnectedWorkers: null,
        DesiredCapacity: null,
      },
    },
  };

  it("groups are <deployment>-<fleet>", () => {
    expect(groupName("ci-cache", "workers-x86_64")).toBe("ci-cache-workers-x86_64");
  });

  it("renders fleets, missing groups and metrics with 'no data'", () => {
    const text = renderStatus(report).join("\n");
    expect(text).toContain("scheduler DNS: OK (agree): ok");
    expect(text).toMatch(/cas +nativelink-cas +2 +2 +1 +25/);
    expect(text).toContain("(no such group)");
    expect(text).toContain("workers-x86_64: QueuedActions=4 at 2025-01-01T00:00:00.000Z, ExecutingActions=no data");
  });

  it("says why metrics are unavailable", () => {
    expect(renderStatus({ ...report, metrics: null, metricsError: "AWS denied the request" }).at(-1)).toBe(
      "autoscaler metrics: unavailable (AWS denied the request)",
    );
  });

  it("exit code 0 only when the record agrees", () => {
    expect(statusExitCode(report)).toBe(0);
    expect(statusExitCode({ ...report, schedulerDns: { ...report.schedulerDns, verdict: "disagree" } })).toBe(1);
  });
});
