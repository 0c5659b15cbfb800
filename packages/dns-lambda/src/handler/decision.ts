/** An instance as the Auto Scaling group reports it. */
export interface GroupInstance {
  readonly instanceId: string;
  /** e.g. `Pending`, `InService`, `Terminating:Wait`, `Standby`. */
  readonly lifecycleState: string;
}

/** An instance as EC2 reports it. */
export interface Ec2Instance {
  readonly instanceId: string;
  /** e.g. `pending`, `running`, `shutting-down`, `terminated`. */
  readonly state: string;
  readonly privateIpAddress?: string | undefined;
}

/** The A record as Route 53 holds it now; `null` when there is none. */
export interface CurrentRecord {
  readonly ips: readonly string[];
  readonly ttlSeconds?: number | undefined;
}

export interface Observation {
  readonly groupInstances: readonly GroupInstance[];
  readonly ec2Instances: readonly Ec2Instance[];
  /** Instances the triggering event says are leaving. */
  readonly terminatingInstanceIds: readonly string[];
  readonly currentRecord: CurrentRecord | null;
  readonly recordTtlSeconds: number;
}

/** Why an instance of the group is not in the record. */
export interface Exclusion {
  readonly instanceId: string;
  readonly why: string;
}

interface DecisionBase {
  /** The record's IPs after this decision (sorted). */
  readonly ips: readonly string[];
  /** The record's IPs before it (sorted); empty when there was no record. */
  readonly previousIps: readonly string[];
  readonly liveInstanceIds: readonly string[];
  readonly excluded: readonly Exclusion[];
  readonly reason: string;
}

export type Decision =
  | (DecisionBase & { readonly action: "upsert"; readonly outcome: "updated" })
  | (DecisionBase & { readonly action: "none"; readonly outcome: "unchanged" | "no-live-scheduler" });

/**
 * The record's IPs are the private IPs of the group's instances that are InService in the group and running in EC2,
 * less those the event says are terminating. Never an empty record: with no live scheduler the record stays as it is
 * (a stale address fails fast; no address at all would make workers' resolvers cache NXDOMAIN). No change call when
 * the record already holds exactly those IPs with the wanted TTL.
 */
export function decide(observation: Observation): Decision {
  const ec2ById = new Map(observation.ec2Instances.map((instance) => [instance.instanceId, instance]));
  const terminating = new Set(observation.terminatingInstanceIds);
  const live: { instanceId: string; ip: string }[] = [];
  const excluded: Exclusion[] = [];
  for (const member of observation.groupInstances) {
    const why = exclusionOf(member, ec2ById.get(member.instanceId), terminating);
    if (why === undefined) live.push({ instanceId: member.instanceId, ip: ec2ById.get(member.instanceId)?.privateIpAddress ?? "" });
    else excluded.push({ instanceId: member.instanceId, why });
  }
  const ips = sortIps([...new Set(live.map((instance) => instance.ip))]);
  const previousIps = sortIps([...new Set(observation.currentRecord?.ips ?? [])]);
  const base = { previousIps, liveInstanceIds: live.map((instance) => instance.instanceId).sort(), excluded };

  if (ips.length === 0) {
    const held = previousIps.length > 0 ? `the record keeps ${previousIps.join(", ")}` : "no record is written";
    return {
      ...base,
      action: "none",
      outcome: "no-live-scheduler",
      ips: previousIps,
      reason: `no instance is InService and running; ${held} rather than an empty answer`,
    };
  }
  const sameIps = ips.length === previousIps.length && ips.every((ip, index) => ip === previousIps[index]);
  const sameTtl = observation.currentRecord?.ttlSeconds === observation.recordTtlSeconds;
  if (sameIps && sameTtl) {
    return { ...base, action: "none", outcome: "unchanged", ips, reason: `the record already holds ${ips.join(", ")}` };
  }
  const reason =
    observation.currentRecord === null
      ? `the record does not exist; create it with ${ips.join(", ")}`
      : sameIps
        ? `the TTL is ${observation.currentRecord.ttlSeconds ?? "unset"}s, not ${observation.recordTtlSeconds}s`
        : `the live scheduler is ${ips.join(", ")}, the record holds ${previousIps.join(", ") || "no address"}`;
  return { ...base, action: "upsert", outcome: "updated", ips, reason };
}

function exclusionOf(member: GroupInstance, ec2: Ec2Instance | undefined, terminating: ReadonlySet<string>): string | undefined {
  if (terminating.has(member.instanceId)) return "the event says it is terminating";
  if (member.lifecycleState !== "InService") return `its group lifecycle state is ${member.lifecycleState}`;
  if (ec2 === undefined) return "EC2 does not know it (yet)";
  if (ec2.state !== "running") return `its EC2 state is ${ec2.state}`;
  if (!ec2.privateIpAddress) return "it has no private IPv4 address";
  return undefined;
}

/** Numeric order (10.0.0.9 before 10.0.0.10), so equal sets compare equal and logs read naturally. */
function sortIps(ips: readonly string[]): string[] {
  const key = (ip: string) =>
    ip
      .split(".")
      .map((octet) => octet.padStart(3, "0"))
      .join(".");
  return [...ips].sort((a, b) => key(a).localeCompare(key(b)));
}
