import {
  decideCapacity,
  estimateDrain,
  historyPeriodSeconds,
  requiredCapacity,
  type CapacityDecision,
  type DemandSample,
  type RequiredCapacitySample,
} from "../policy/capacity-policy.js";
import { ARCHITECTURES, fleetDimension, type Architecture } from "../policy/fleets.js";
import { describeGroups, putMetrics, readMinuteMaxima, setDesiredCapacity, type AwsClients } from "./aws.js";
import type { HandlerConfig } from "./config.js";
import { attributeDemand, completionShares, type GroupCapacity } from "./demand.js";
import { FeedError } from "./feed-error.js";
import { fetchFeed } from "./feed.js";
import type { LogEntry } from "@nativelink-aws/conventions/lambda-handler";
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

/** `schedule`: a poll due every pollIntervalSeconds; `feed-change`: the feed changed at a check between polls. */
export type PollTrigger = "schedule" | "feed-change";

export type PollResult =
  | { readonly outcome: "decided"; readonly trigger: PollTrigger; readonly fleets: readonly FleetOutcome[] }
  | { readonly outcome: "feed-error"; readonly trigger: PollTrigger; readonly feedError: { readonly kind: string; readonly message: string } };

export interface Poller {
  /** A scheduled poll: fetch (with retries), parse, decide, publish, act. A bad feed is counted and changes nothing. */
  poll(requestId?: string): Promise<PollResult>;
  /**
   * A check between polls: one quick fetch; when the page differs from the last one seen, a poll on it (the
   * scheduler exported new numbers). Undefined when it is unchanged or unreadable (the next scheduled poll reports that).
   */
  pollIfChanged(requestId?: string): Promise<PollResult | undefined>;
}

export interface PollDependencies {
  readonly config: HandlerConfig;
  readonly clients: AwsClients;
  readonly log: (entry: LogEntry) => void;
  /** Epoch milliseconds. */
  readonly now: () => number;
}

/**
 * One parse → decide → act pass. A bad feed is logged, counted in FeedErrors and changes nothing. Requirements
 * published by this process are kept in memory too, as CloudWatch may not return the last minute yet. So are the
 * demand samples the drain estimate measures its rates on: they live as long as the (warm) Lambda container; after
 * a cold start the drain is unknown for one rate window, and the policy uses its plain rule meanwhile.
 */
export function createPoll(dependencies: PollDependencies): Poller {
  const { config, clients, log } = dependencies;
  const recent = new Map<Architecture, RequiredCapacitySample[]>();
  const samples = new Map<Architecture, DemandSample[]>();
  const fleets = ARCHITECTURES.filter((fleet) => config.groupNames[fleet] !== undefined);
  let lastText: string | undefined;

  const pollOn = async (requestId: string | undefined, trigger: PollTrigger, prefetched?: string): Promise<PollResult> => {
    const at = new Date(dependencies.now());
    const nowSeconds = Math.floor(at.getTime() / 1000);
    let snapshot;
    try {
      const text = prefetched ?? (await fetchFeed(config.feedUrl, { timeoutMs: config.feedTimeoutMs, attempts: config.feedAttempts }));
      lastText = text;
      snapshot = parseFeed(text, config);
    } catch (error) {
      if (!(error instanceof FeedError)) throw error;
      // A bad feed must end the poll normally even when CloudWatch is also failing: the count is best effort.
      await putMetrics(clients, METRIC_NAMESPACE, metricDatums(config.deploymentName, [], 1, at)).catch((publishError: unknown) => {
        log({
          level: "error",
          message: "could not publish FeedErrors",
          requestId,
          trigger,
          reason: publishError instanceof Error ? publishError.message : String(publishError),
        });
      });
      log({
        level: "warn",
        message: "bad feed; capacity left as it is",
        requestId,
        trigger,
        feedUrl: config.feedUrl,
        feedError: error.kind,
        reason: error.message,
      });
      return { outcome: "feed-error", trigger, feedError: { kind: error.kind, message: error.message } };
    }

    const described = await describeGroups(
      clients,
      fleets.map((fleet) => config.groupNames[fleet]!),
    );
    const groups: Partial<Record<Architecture, GroupCapacity>> = {};
    for (const fleet of fleets) {
      const group = described.get(config.groupNames[fleet]!);
      if (!group)
        throw new Error(
          `Auto Scaling group "${config.groupNames[fleet]}" (${fleet}) not found: check ${fleet.toUpperCase()}_GROUP_NAME; no capacity was changed`,
        );
      groups[fleet] = group;
    }
    const demand = attributeDemand(snapshot, groups, config.demandSplit);
    const shares = completionShares(demand);
    const rateHorizon = nowSeconds - config.policy.rateWindowSeconds - 3 * historyPeriodSeconds;
    const states = fleets.map((fleet) => {
      const sample: DemandSample = {
        atSeconds: nowSeconds,
        queuedActions: demand[fleet]!.queuedActions,
        executingActions: demand[fleet]!.executingActions,
        completedActions: snapshot.completedActions,
        completionShare: shares[fleet]!,
      };
      const kept = [...(samples.get(fleet) ?? []).filter((earlier) => earlier.atSeconds >= rateHorizon && earlier.atSeconds < nowSeconds), sample];
      samples.set(fleet, kept);
      const drain = estimateDrain(kept, nowSeconds, config.policy);
      return { fleet, state: { ...groups[fleet]!, queuedActions: sample.queuedActions, executingActions: sample.executingActions, drain } };
    });

    // History is read only for fleets that are over-provisioned now: the only case the policy looks at it.
    const needHistory = states.filter(({ state }) => requiredCapacity(state, config.policy) < state.desiredCapacity).map(({ fleet }) => fleet);
    const windowStart = nowSeconds - config.policy.scaleInAfterSeconds - historyPeriodSeconds;
    const stored =
      needHistory.length === 0
        ? new Map<string, RequiredCapacitySample[]>()
        : await readMinuteMaxima(
            clients,
            needHistory.map((fleet) => ({
              id: `required_${fleet}`,
              namespace: METRIC_NAMESPACE,
              metricName: METRIC_NAMES.requiredCapacity,
              dimensions: { Deployment: config.deploymentName, Fleet: fleetDimension(fleet) },
            })),
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
        outcomes.map(({ fleet, decision, state }) => ({
          fleet: fleetDimension(fleet),
          ...state,
          connectedWorkers: demand[fleet]!.connectedWorkers,
          desiredCapacity: decision.desiredCapacity,
          requiredCapacity: decision.requiredCapacity,
          currentCapacity: state.desiredCapacity,
        })),
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
    log({
      level: "info",
      message: changed ? "capacity set" : config.mode === "metrics-only" ? "metrics published (metrics-only mode)" : "capacity unchanged",
      requestId,
      trigger,
      mode: config.mode,
      fleets: results,
    });
    return { outcome: "decided", trigger, fleets: results };
  };

  return {
    poll: (requestId) => pollOn(requestId, "schedule"),
    async pollIfChanged(requestId) {
      let text: string;
      try {
        text = await fetchFeed(config.feedUrl, { timeoutMs: config.feedTimeoutMs, attempts: 1 });
      } catch (error) {
        if (error instanceof FeedError) return undefined;
        throw error;
      }
      if (text === lastText) return undefined;
      return pollOn(requestId, "feed-change", text);
    },
  };
}
