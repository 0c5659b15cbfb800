// Status decisions, pure: which groups to read, whether the scheduler's DNS record matches its instance,
// and how the report reads.

import { METRIC_NAMES, METRIC_NAMESPACE, physicalName } from "@nativelink-aws/conventions";

export const FLEETS = ["cas", "scheduler", "workers-x86_64", "workers-arm64"] as const;
export type Fleet = (typeof FLEETS)[number];
/** Worker fleets: the ones the autoscaler publishes metrics for (dimension Fleet). */
export const WORKER_FLEETS = ["workers-x86_64", "workers-arm64"] as const satisfies readonly Fleet[];
export { METRIC_NAMESPACE };
export const METRICS = [METRIC_NAMES.queuedActions, METRIC_NAMES.executingActions, METRIC_NAMES.connectedWorkers, METRIC_NAMES.desiredCapacity] as const;
export type MetricName = (typeof METRICS)[number];

/** `<deployment>-<fleet>`, as the constructs name every Auto Scaling group. */
export function groupName(deployment: string, fleet: Fleet): string {
  return physicalName(deployment, fleet);
}

export interface SchedulerInstance {
  readonly id: string;
  readonly lifecycleState: string;
  readonly privateIp?: string;
}

export type DnsVerdict = "agree" | "disagree" | "no-record" | "no-zone" | "no-scheduler";

export interface DnsComparison {
  readonly verdict: DnsVerdict;
  readonly detail: string;
}

export function compareSchedulerDns(input: {
  readonly recordName: string;
  readonly zoneName: string;
  readonly zoneFound: boolean;
  readonly recordIps: readonly string[] | undefined;
  readonly instances: readonly SchedulerInstance[] | undefined;
}): DnsComparison {
  const live = (input.instances ?? []).filter((instance) => instance.lifecycleState === "InService" && instance.privateIp);
  const liveIps = [...new Set(live.map((instance) => instance.privateIp ?? ""))].sort();
  if (!input.zoneFound) return { verdict: "no-zone", detail: `no private hosted zone ${input.zoneName}` };
  if (input.instances === undefined) return { verdict: "no-scheduler", detail: "the scheduler's Auto Scaling group does not exist" };
  if (input.recordIps === undefined) {
    return {
      verdict: "no-record",
      detail: `no A record ${input.recordName} (the DNS updater has not written it)${liveIps.length ? `; the scheduler is at ${liveIps.join(", ")}` : ""}`,
    };
  }
  const recordIps = [...new Set(input.recordIps)].sort();
  if (liveIps.length === 0)
    return { verdict: "no-scheduler", detail: `no scheduler instance in service; ${input.recordName} points at ${recordIps.join(", ")}` };
  const same = recordIps.length === liveIps.length && recordIps.every((ip, index) => ip === liveIps[index]);
  if (same) return { verdict: "agree", detail: `${input.recordName} → ${recordIps.join(", ")}, the scheduler's private IP` };
  return { verdict: "disagree", detail: `${input.recordName} → ${recordIps.join(", ")}, but the scheduler is at ${liveIps.join(", ")}` };
}

export interface FleetState {
  readonly fleet: Fleet;
  readonly group: string;
  readonly exists: boolean;
  readonly desired?: number;
  readonly inService?: number;
  readonly min?: number;
  readonly max?: number;
}

export interface MetricPoint {
  readonly value: number;
  readonly timestamp: string;
}

export interface StatusReport {
  readonly deployment: string;
  readonly schedulerDns: DnsComparison & { readonly record: string; readonly recordIps?: readonly string[]; readonly instances: readonly SchedulerInstance[] };
  readonly fleets: readonly FleetState[];
  /** Per worker fleet, the latest value of each metric, or null for "no data"; null when CloudWatch failed. */
  readonly metrics: Readonly<Record<string, Readonly<Record<MetricName, MetricPoint | null>>>> | null;
  /** Why the metrics could not be read (e.g. no cloudwatch:GetMetricData permission). */
  readonly metricsError?: string;
}

/** 0 when the scheduler's record and instance agree, 1 otherwise. */
export function statusExitCode(report: StatusReport): 0 | 1 {
  return report.schedulerDns.verdict === "agree" ? 0 : 1;
}

const count = (value: number | undefined) => (value === undefined ? "-" : String(value));

export function renderStatus(report: StatusReport): string[] {
  const lines = [
    `Deployment ${report.deployment}`,
    "",
    `scheduler DNS: ${report.schedulerDns.verdict === "agree" ? "OK" : "MISMATCH"} (${report.schedulerDns.verdict}): ${report.schedulerDns.detail}`,
    "",
    "fleet            group                               desired  in service  min  max",
  ];
  for (const fleet of report.fleets) {
    if (!fleet.exists) lines.push(`${fleet.fleet.padEnd(16)} ${fleet.group.padEnd(35)} (no such group)`);
    else
      lines.push(
        `${fleet.fleet.padEnd(16)} ${fleet.group.padEnd(35)} ${count(fleet.desired).padStart(7)}  ${count(fleet.inService).padStart(10)}  ` +
          `${count(fleet.min).padStart(3)}  ${count(fleet.max).padStart(3)}`,
      );
  }
  if (report.metrics === null) return [...lines, "", `autoscaler metrics: unavailable (${report.metricsError ?? "unknown error"})`];
  lines.push("", "autoscaler metrics (latest):");
  for (const [fleet, metrics] of Object.entries(report.metrics)) {
    const parts = Object.entries(metrics).map(([name, point]) => `${name}=${point ? `${point.value} at ${point.timestamp}` : "no data"}`);
    lines.push(`  ${fleet}: ${parts.join(", ")}`);
  }
  return lines;
}
