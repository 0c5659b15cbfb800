import { describe, expect, it } from "vitest";
import { decide, type CurrentRecord, type Decision, type Ec2Instance, type GroupInstance } from "../src/handler/decision.js";

const inService = (instanceId: string): GroupInstance => ({ instanceId, lifecycleState: "InService" });
const running = (instanceId: string, ip: string): Ec2Instance => ({ instanceId, state: "running", privateIpAddress: ip });
const record = (ips: string[], ttlSeconds = 30): CurrentRecord => ({ ips, ttlSeconds });

interface Row {
  readonly name: string;
  readonly group: GroupInstance[];
  readonly ec2: Ec2Instance[];
  readonly terminating?: string[];
  readonly current: CurrentRecord | null;
  readonly expected: Pick<Decision, "action" | "outcome" | "ips">;
  readonly reason?: RegExp;
}

const table: Row[] = [
  {
    name: "0 instances, no record: nothing to write, never an empty record",
    group: [],
    ec2: [],
    current: null,
    expected: { action: "none", outcome: "no-live-scheduler", ips: [] },
    reason: /no record is written/,
  },
  {
    name: "0 live instances, a record exists: the record is kept",
    group: [],
    ec2: [],
    current: record(["10.0.1.5"]),
    expected: { action: "none", outcome: "no-live-scheduler", ips: ["10.0.1.5"] },
    reason: /keeps 10\.0\.1\.5/,
  },
  {
    name: "1 instance, no record: create it",
    group: [inService("i-00000001")],
    ec2: [running("i-00000001", "10.0.1.5")],
    current: null,
    expected: { action: "upsert", outcome: "updated", ips: ["10.0.1.5"] },
    reason: /does not exist/,
  },
  {
    name: "1 instance, already correct: no change call",
    group: [inService("i-00000001")],
    ec2: [running("i-00000001", "10.0.1.5")],
    current: record(["10.0.1.5"]),
    expected: { action: "none", outcome: "unchanged", ips: ["10.0.1.5"] },
  },
  {
    name: "2 instances: both, in numeric order",
    group: [inService("i-00000001"), inService("i-00000002")],
    ec2: [running("i-00000001", "10.0.1.10"), running("i-00000002", "10.0.1.9")],
    current: record(["10.0.1.10"]),
    expected: { action: "upsert", outcome: "updated", ips: ["10.0.1.9", "10.0.1.10"] },
  },
  {
    name: "2 instances, already correct in another order: no change call",
    group: [inService("i-00000001"), inService("i-00000002")],
    ec2: [running("i-00000001", "10.0.1.10"), running("i-00000002", "10.0.1.9")],
    current: record(["10.0.1.10", "10.0.1.9"]),
    expected: { action: "none", outcome: "unchanged", ips: ["10.0.1.9", "10.0.1.10"] },
  },
  {
    name: "replacement: the old instance terminating, the new one InService",
    group: [{ instanceId: "i-00000001", lifecycleState: "Terminating" }, inService("i-00000002")],
    ec2: [{ instanceId: "i-00000001", state: "shutting-down", privateIpAddress: "10.0.1.5" }, running("i-00000002", "10.0.2.7")],
    current: record(["10.0.1.5"]),
    expected: { action: "upsert", outcome: "updated", ips: ["10.0.2.7"] },
    reason: /live scheduler is 10\.0\.2\.7, the record holds 10\.0\.1\.5/,
  },
  {
    name: "replacement not yet InService: keep the old address rather than none",
    group: [
      { instanceId: "i-00000001", lifecycleState: "Terminating:Wait" },
      { instanceId: "i-00000002", lifecycleState: "Pending" },
    ],
    ec2: [running("i-00000001", "10.0.1.5"), { instanceId: "i-00000002", state: "pending", privateIpAddress: "10.0.2.7" }],
    current: record(["10.0.1.5"]),
    expected: { action: "none", outcome: "no-live-scheduler", ips: ["10.0.1.5"] },
  },
  {
    name: "terminating per the event while its states still lag (InService, running): left out",
    group: [inService("i-00000001"), inService("i-00000002")],
    ec2: [running("i-00000001", "10.0.1.5"), running("i-00000002", "10.0.2.7")],
    terminating: ["i-00000001"],
    current: record(["10.0.1.5", "10.0.2.7"]),
    expected: { action: "upsert", outcome: "updated", ips: ["10.0.2.7"] },
  },
  {
    name: "the only instance terminating per the event: record kept, not emptied",
    group: [inService("i-00000001")],
    ec2: [running("i-00000001", "10.0.1.5")],
    terminating: ["i-00000001"],
    current: record(["10.0.1.5"]),
    expected: { action: "none", outcome: "no-live-scheduler", ips: ["10.0.1.5"] },
  },
  {
    name: "InService in the group but stopped in EC2: left out",
    group: [inService("i-00000001"), inService("i-00000002")],
    ec2: [{ instanceId: "i-00000001", state: "stopped", privateIpAddress: "10.0.1.5" }, running("i-00000002", "10.0.2.7")],
    current: record(["10.0.1.5"]),
    expected: { action: "upsert", outcome: "updated", ips: ["10.0.2.7"] },
  },
  {
    name: "Standby in the group: left out",
    group: [{ instanceId: "i-00000001", lifecycleState: "Standby" }, inService("i-00000002")],
    ec2: [running("i-00000001", "10.0.1.5"), running("i-00000002", "10.0.2.7")],
    current: record(["10.0.2.7"]),
    expected: { action: "none", outcome: "unchanged", ips: ["10.0.2.7"] },
  },
  {
    name: "unknown to EC2 or without a private IP: left out",
    group: [inService("i-00000001"), inService("i-00000002"), inService("i-00000003")],
    ec2: [{ instanceId: "i-00000002", state: "running" }, running("i-00000003", "10.0.3.3")],
    current: record(["10.0.3.3"]),
    expected: { action: "none", outcome: "unchanged", ips: ["10.0.3.3"] },
  },
  {
    name: "right IPs, wrong TTL (the original wrote 300): rewrite",
    group: [inService("i-00000001")],
    ec2: [running("i-00000001", "10.0.1.5")],
    current: record(["10.0.1.5"], 300),
    expected: { action: "upsert", outcome: "updated", ips: ["10.0.1.5"] },
    reason: /TTL is 300s, not 30s/,
  },
  {
    name: "a record with duplicate values is compared as a set",
    group: [inService("i-00000001")],
    ec2: [running("i-00000001", "10.0.1.5")],
    current: record(["10.0.1.5", "10.0.1.5"]),
    expected: { action: "none", outcome: "unchanged", ips: ["10.0.1.5"] },
  },
];

describe("decide", () => {
  it.each(table)("$name", (row) => {
    const decision = decide({
      groupInstances: row.group,
      ec2Instances: row.ec2,
      terminatingInstanceIds: row.terminating ?? [],
      currentRecord: row.current,
      recordTtlSeconds: 30,
    });
    expect({ action: decision.action, outcome: decision.outcome, ips: decision.ips }).toEqual(row.expected);
    if (row.reason) expect(decision.reason).toMatch(row.reason);
  });

  it("says why each instance was left out", () => {
    const decision = decide({
      groupInstances: [{ instanceId: "i-00000001", lifecycleState: "Pending" }, inService("i-00000002"), inService("i-00000003")],
      ec2Instances: [running("i-00000002", "10.0.2.2"), { instanceId: "i-00000003", state: "shutting-down", privateIpAddress: "10.0.3.3" }],
      terminatingInstanceIds: [],
      currentRecord: null,
      recordTtlSeconds: 30,
    });
    expect(decision.liveInstanceIds).toEqual(["i-00000002"]);
    expect(decision.excluded).toEqual([
      { instanceId: "i-00000001", why: "its group lifecycle state is Pending" },
      { instanceId: "i-00000003", why: "its EC2 state is shutting-down" },
    ]);
  });
});
