import { ARCHITECTURES, type Architecture } from "../policy/fleets.js";
import type { FeedSnapshot } from "./parse-feed.js";

/**
 * How demand without a platform label is shared between the fleets (NativeLink's metrics carry none):
 * - `preferred`: all of it to one fleet (the default: x86_64 when it exists); the other keeps its minimum;
 * - `proportional`: in proportion to the fleets' max capacity;
 * - `shares`: fixed fractions, e.g. x86_64 0.7 and arm64 0.3.
 */
export type DemandSplit =
  | { readonly kind: "preferred"; readonly fleet: Architecture }
  | { readonly kind: "proportional" }
  | { readonly kind: "shares"; readonly shares: Readonly<Partial<Record<Architecture, number>>> };

/** `preferred:x86_64`, `proportional` or `shares:x86_64=0.7,arm64=0.3`: the form of the DEMAND_SPLIT variable. */
export function formatDemandSplit(split: DemandSplit): string {
  if (split.kind === "preferred") return `preferred:${split.fleet}`;
  if (split.kind === "proportional") return "proportional";
  return `shares:${ARCHITECTURES.filter((fleet) => split.shares[fleet] !== undefined)
    .map((fleet) => `${fleet}=${split.shares[fleet]}`)
    .join(",")}`;
}

/** The inverse of formatDemandSplit; throws saying what is expected. */
export function parseDemandSplit(text: string): DemandSplit {
  const expected = 'expected "preferred:x86_64", "preferred:arm64", "proportional" or "shares:x86_64=0.7,arm64=0.3" (shares summing to 1)';
  const value = text.trim();
  if (value === "proportional") return { kind: "proportional" };
  const preferred = /^preferred:(x86_64|arm64)$/.exec(value);
  if (preferred) return { kind: "preferred", fleet: preferred[1] as Architecture };
  if (value.startsWith("shares:")) {
    const shares: Partial<Record<Architecture, number>> = {};
    for (const part of value.slice("shares:".length).split(",")) {
      const match = /^(x86_64|arm64)=(0|1|0?\.\d+|1\.0+)$/.exec(part.trim());
      if (!match || shares[match[1] as Architecture] !== undefined) throw new Error(`"${text}": ${expected}`);
      shares[match[1] as Architecture] = Number(match[2]);
    }
    const sum = Object.values(shares).reduce((total, share) => total + share, 0);
    if (Math.abs(sum - 1) > 1e-6) throw new Error(`"${text}": the shares sum to ${sum}; ${expected}`);
    return { kind: "shares", shares };
  }
  throw new Error(`"${text}": ${expected}`);
}

/** A fleet's group as Auto Scaling reports it. */
export interface GroupCapacity {
  readonly desiredCapacity: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** InService instances, which are NativeLink workers once registered (warm-pool instances never are). */
  readonly inServiceInstances: number;
  /**
   * vCPUs one unit of the group's capacity is: 1 for groups whose instance weights are vCPUs, the instance type's vCPUs
   * for a group that counts instances (one on-demand type, as a warm pool needs).
   */
  readonly vcpusPerUnit: number;
}

export interface FleetDemand {
  readonly queuedActions: number;
  readonly executingActions: number;
  /** The scheduler's connected workers attributed to this fleet; undefined when the feed has no worker count. */
  readonly connectedWorkers: number | undefined;
}

/**
 * Demand per configured fleet: labelled series go to their platform's fleet, the rest is shared by `split`, in
 * whole actions (largest remainder). Connected workers, which NativeLink does not split by platform, are shared
 * in proportion to each group's InService instances (one worker per instance).
 */
export function attributeDemand(
  snapshot: FeedSnapshot,
  groups: Readonly<Partial<Record<Architecture, GroupCapacity>>>,
  split: DemandSplit,
): Partial<Record<Architecture, FleetDemand>> {
  const fleets = ARCHITECTURES.filter((fleet) => groups[fleet] !== undefined);
  const weights = splitWeights(fleets, groups, split);
  const queued = share(snapshot.queued.unlabelled, weights);
  const executing = share(snapshot.executing.unlabelled, weights);
  const connected =
    snapshot.connectedWorkers === undefined
      ? undefined
      : share(
          snapshot.connectedWorkers,
          fleets.map((fleet) => groups[fleet]!.inServiceInstances),
        );
  return Object.fromEntries(
    fleets.map((fleet, index) => [
      fleet,
      {
        queuedActions: (snapshot.queued.byPlatform[fleet] ?? 0) + queued[index]!,
        executingActions: (snapshot.executing.byPlatform[fleet] ?? 0) + executing[index]!,
        connectedWorkers: connected?.[index],
      },
    ]),
  );
}

/**
 * Each fleet's part of the scheduler's completions, which carry no platform: completions come from executing actions,
 * so in proportion to them (to the queued ones when nothing executes; evenly when the fleets are idle).
 */
export function completionShares(demand: Readonly<Partial<Record<Architecture, FleetDemand>>>): Partial<Record<Architecture, number>> {
  const fleets = ARCHITECTURES.filter((fleet) => demand[fleet] !== undefined);
  const executing = fleets.map((fleet) => demand[fleet]!.executingActions);
  const queued = fleets.map((fleet) => demand[fleet]!.queuedActions);
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const weights = sum(executing) > 0 ? executing : sum(queued) > 0 ? queued : fleets.map(() => 1);
  return Object.fromEntries(fleets.map((fleet, index) => [fleet, weights[index]! / sum(weights)]));
}

function splitWeights(fleets: readonly Architecture[], groups: Readonly<Partial<Record<Architecture, GroupCapacity>>>, split: DemandSplit): number[] {
  if (split.kind === "preferred") {
    // A preferred fleet that is not configured: everything to the first one that is.
    const target = fleets.includes(split.fleet) ? split.fleet : fleets[0];
    return fleets.map((fleet) => (fleet === target ? 1 : 0));
  }
  if (split.kind === "proportional") return fleets.map((fleet) => groups[fleet]!.maxCapacity);
  return fleets.map((fleet) => split.shares[fleet] ?? 0);
}

/** `total` whole units shared in proportion to `weights` by largest remainder (all to the first when weights are 0). */
export function share(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) return [];
  if (sum <= 0) return weights.map((_, index) => (index === 0 ? total : 0));
  const exact = weights.map((weight) => (total * weight) / sum);
  const parts = exact.map(Math.floor);
  const order = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (let left = total - parts.reduce((a, b) => a + b, 0), i = 0; left > 0; left -= 1, i += 1) parts[order[i % order.length]!.index]! += 1;
  return parts;
}
