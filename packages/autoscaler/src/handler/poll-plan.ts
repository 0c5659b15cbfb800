// The pure part of a poll: which fleets, their demand and readings, and the decisions.
import type { CapacityDecision, CapacityPolicySettings, RequiredCapacitySample } from "../policy/capacity-policy.js";
import { decideFleet, freshFleetMemory, observeFleet, type FleetMemory, type ObservedFleet } from "../policy/fleet-step.js";
import { ARCHITECTURES, type Architecture } from "../policy/fleets.js";
import type { HandlerConfig } from "./config.js";
import { attributeDemand, completionShares, type FleetDemand, type GroupCapacity } from "./demand.js";
import type { FeedSnapshot } from "./parse-feed.js";

/** A fleet the configuration names, with its Auto Scaling group. */
export interface ConfiguredFleet {
  readonly fleet: Architecture;
  readonly groupName: string;
}

export interface DescribedFleet extends ConfiguredFleet {
  readonly group: GroupCapacity;
}

/** A fleet after the first half of its step: its demand and its observed state. */
export interface PlannedFleet extends DescribedFleet {
  readonly demand: FleetDemand;
  readonly observed: ObservedFleet;
}

export interface DecidedFleet extends PlannedFleet {
  readonly decision: CapacityDecision;
  readonly memory: FleetMemory;
}

const noDemand: FleetDemand = { queuedActions: 0, executingActions: 0, connectedWorkers: undefined };

export function configuredFleets(config: Pick<HandlerConfig, "groupNames">): ConfiguredFleet[] {
  return ARCHITECTURES.flatMap((fleet) => {
    const groupName = config.groupNames[fleet];
    return groupName === undefined ? [] : [{ fleet, groupName }];
  });
}

/** Each fleet's demand from the feed, recorded in its memory with the drain measured (`observeFleet`). */
export function planFleets(
  snapshot: FeedSnapshot,
  fleets: readonly DescribedFleet[],
  memories: ReadonlyMap<Architecture, FleetMemory>,
  nowSeconds: number,
  config: Pick<HandlerConfig, "demandSplit" | "policy">,
): PlannedFleet[] {
  const groups = Object.fromEntries(fleets.map(({ fleet, group }) => [fleet, group]));
  const demands = attributeDemand(snapshot, groups, config.demandSplit);
  const shares = completionShares(demands);
  return fleets.map((described) => {
    const demand = demands[described.fleet] ?? noDemand;
    const { desiredCapacity, minCapacity, maxCapacity } = described.group;
    const reading = {
      nowSeconds,
      queuedActions: demand.queuedActions,
      executingActions: demand.executingActions,
      completedActions: snapshot.completedActions,
      completionShare: shares[described.fleet] ?? 1,
      desiredCapacity,
      minCapacity,
      maxCapacity,
    };
    return { ...described, demand, observed: observeFleet(memories.get(described.fleet) ?? freshFleetMemory, reading, config.policy) };
  });
}

/** The second half of each fleet's step, on the history CloudWatch returned for it (none when it was not read). */
export function decideFleets(
  planned: readonly PlannedFleet[],
  memories: ReadonlyMap<Architecture, FleetMemory>,
  stored: ReadonlyMap<Architecture, readonly RequiredCapacitySample[]>,
  settings: CapacityPolicySettings,
): DecidedFleet[] {
  return planned.map((fleet) => ({
    ...fleet,
    ...decideFleet(fleet.observed, memories.get(fleet.fleet) ?? freshFleetMemory, stored.get(fleet.fleet) ?? [], settings),
  }));
}
