import { decideCapacity, historyPeriodSeconds, requiredCapacity, type CapacityDecision, type RequiredCapacitySample } from "../policy/capacity-policy.js";
import { ARCHITECTURES, fleetDimension, type Architecture } from "../policy/fleets.js";
import { describeGroups, putMetrics, readMinuteMaxima, setDesiredCapacity, type AwsClients } from "./aws.js";
import type { HandlerConfig } from "./config.js";
import { attributeDemand, type GroupCapacity } from "./demand.js";
import { FeedError } from "./feed-error.js";
import { fetchFeed } from "./feed.js";
import type { LogEntry } from "./log.js";
import { METRIC_NAMES, METRIC_NAMESPACE, metricDatums } from "./metrics.js";
import { parseFeed } from "./parse-feed.js";

/** One fleet's part of a poll. */
export interface FleetOutcome {
  readonly fleet: string;
  readonly groupName: string;
  readonly queuedActions: number;
  readonly executingActions: number;
  readonly connectedWorkers: number | undefined;
  readonly previousDesiredCapacity: number;
  readonly decision: CapacityDecision;
  /** Whether SetDesiredCapacity was called. */
  readonly capacitySet: boolean;
}

export type PollResult =
  | { readonly outcome: "decided"; readonly fleets: readonly FleetOutcome[] }
  | { readonly outcome: "feed-error"; readonly feedError: { readonly kind: string; readonly message: string } };

export interface PollDependencies {
  readonly config: HandlerConfig;
  readonly clients: AwsClients;
  readonly log: (entry: LogEntry) => void;
  /** Epoch milliseconds. */
  readonly now: () => number;
}

/**
 * One parse → decide → act pass. A bad feed is logged, counted in FeedErrors and changes nothing. Requirements
 * published by this process are kept in memory too, as CloudWatch may not return the last minute yet.
 */
export function createPoll(dependencies: PollDependencies): (requestId?: string) => Promise<PollResult> {
  const { config, clients, log } = dependencies;
  const recent = new Map<Architecture, RequiredCapacitySample[]>();
  const fleets = ARCHITECTURES.filter((fleet) => config.groupNames[fleet] !== undefined);

  return async (requestId) => {
    const at = new Date(dependencies.now());
    const nowSeconds = Math.floor(at.getTime() / 1000);
    let snapshot;
    try {
      snapshot = parseFeed(await fetchFeed(config.feedUrl, { timeoutMs: config.feedTimeoutMs, attempts: config.feedAttempts }), config);
    } catch (error) {
      if (!(error instanceof FeedError)) throw error;
      await putMetrics(clients, METRIC_NAMESPACE, metricDatums(config.deploymentName, [], 1, at));
      log({ level: "warn", message: "bad feed; capacity left as it is", requestId, feedUrl: config.feedUrl, feedError: error.kind, reason: error.message });
      return { outcome: "feed-error", feedError: { kind: error.kind, message: error.message } };
    }

    const described = await describeGroups(clients, fleets.map((fleet) => config.groupNames[fleet]!));
    const groups: Partial<Record<Architecture, GroupCapacity>> = {};
    for (const fleet of fleets) {
      const group = described.get(config.groupNames[fleet]!);
      if (!group) throw new Error(`Auto Scaling group "${config.groupNames[fleet]}" (${fleet}) not found: check ${fleet.toUpperCase()}_GROUP_NAME; no capacity was changed`);
      groups[fleet] = group;
    }
    const demand = attributeDemand(snapshot, groups, config.demandSplit);
    const states = fleets.map((fleet) => ({ fleet, state: { ...groups[fleet]!, queuedActions: demand[fleet]!.queuedActions, executingActions: demand[fleet]!.executingActions } }));

    // History is read only for fleets that are over-provisioned now: the only case the policy looks at it.
    const needHistory = states.filter(({ state }) => requiredCapacity(state, config.policy) < state.desiredCapacity).map(({ fleet }) => fleet);
    const windowStart = nowSeconds - config.policy.scaleInAfterSeconds - historyPeriodSeconds;
    const stored = needHistory.length === 0 ? new Map<string, RequiredCapacitySample[]>() : await readMinuteMaxima(
      clients,
      needHistory.map((fleet) => ({ id: `required_${fleet}`, namespace: METRIC_NAMESPACE, metricName: METRIC_NAMES.requiredCapacity, dimensions: { Deployment: config.deploymentName, Fleet: fleetDimension(fleet) } })),
      windowStart,
      nowSeconds,
    );

    const outcomes = states.map(({ fleet, state }) => {
      const history = [...(stored.get(`required_${fleet}`) ?? []), ...(recent.get(fleet) ?? [])];
      const decision = decideCapacity(state, history, nowSeconds, config.policy);
      return { fleet, decision, state };
    });
    await putMetrics(
      clients,
      METRIC_NAMESPACE,
      metricDatums(
        config.deploymentName,
        outcomes.map(({ fleet, decision, state }) => ({ fleet: fleetDimension(fleet), ...state, connectedWorkers: demand[fleet]!.connectedWorkers, desiredCapacity: decision.desiredCapacity, requiredCapacity: decision.requiredCapacity, currentCapacity: state.desiredCapacity })),
        0,
        at,
      ),
    );
    for (const { fleet, decision } of outcomes) {
      const kept = (recent.get(fleet) ?? []).filter((sample) => sample.atSeconds >= windowStart);
      recent.set(fleet, [...kept, { atSeconds: nowSeconds, units: decision.requiredCapacity }]);
    }

    const results: FleetOutcome[] = [];
    for (const { fleet, decision, state } of outcomes) {
      const change = config.mode === "set-capacity" && decision.desiredCapacity !== state.desiredCapacity;
      if (change) await setDesiredCapacity(clients, config.groupNames[fleet]!, decision.desiredCapacity);
      results.push({
        fleet: fleetDimension(fleet),
        groupName: config.groupNames[fleet]!,
        queuedActions: state.queuedActions,
        executingActions: state.executingActions,
        connectedWorkers: demand[fleet]!.connectedWorkers,
        previousDesiredCapacity: state.desiredCapacity,
        decision,
        capacitySet: change,
      });
    }
    const changed = results.some((result) => result.capacitySet);
    log({ level: "info", message: changed ? "capacity set" : config.mode === "metrics-only" ? "metrics published (metrics-only mode)" : "capacity unchanged", requestId, mode: config.mode, fleets: results });
    return { outcome: "decided", fleets: results };
  };
}
