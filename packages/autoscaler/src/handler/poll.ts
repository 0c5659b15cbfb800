import type { CapacityDecision, RequiredCapacitySample } from "../policy/capacity-policy.js";
import { freshFleetMemory, historyWindowStart, needsHistory, type FleetMemory } from "../policy/fleet-step.js";
import { fleetDimension, type Architecture } from "../policy/fleets.js";
import { capacityUnitsFor, describeGroups, putMetrics, readMinuteMaxima, setDesiredCapacity, type AwsClients } from "./aws.js";
import type { HandlerConfig } from "./config.js";
import { FeedError } from "./feed-error.js";
import { fetchFeed } from "./feed.js";
import type { LogEntry } from "@nativelink-aws/conventions/lambda-handler";
import { METRIC_NAMES, METRIC_NAMESPACE, metricDatums } from "./metrics.js";
import { parseFeed, type FeedSnapshot } from "./parse-feed.js";
import { configuredFleets, decideFleets, planFleets, type ConfiguredFleet, type DecidedFleet, type DescribedFleet, type PlannedFleet } from "./poll-plan.js";

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
 * One parse → decide → act pass. A bad feed is logged, counted in FeedErrors and changes nothing. Each fleet's step
 * (`observeFleet`, then `decideFleet`: the simulator's controller runs the same two) keeps its memory here: the demand
 * samples the drain is measured on, which live as long as the (warm) Lambda container (after a cold start the drain
 * is unknown for one rate window, and the policy uses its plain rule meanwhile), and the requirements this process
 * published, as CloudWatch may not return the last minute yet.
 */
export function createPoll(dependencies: PollDependencies): Poller {
  const { config, clients, log } = dependencies;
  const memories = new Map<Architecture, FleetMemory>();
  const fleets = configuredFleets(config);
  let lastText: string | undefined;

  const pollOn = async (requestId: string | undefined, trigger: PollTrigger, prefetched?: string): Promise<PollResult> => {
    const at = new Date(dependencies.now());
    const nowSeconds = Math.floor(at.getTime() / 1000);
    const read = await readFeed(config, prefetched);
    // A page seen is not decided on again between polls, even one that failed to parse.
    lastText = read.text ?? lastText;
    if ("feedError" in read) {
      await reportFeedError(dependencies, read.feedError, at, requestId, trigger);
      return { outcome: "feed-error", trigger, feedError: { kind: read.feedError.kind, message: read.feedError.message } };
    }
    const planned = planFleets(read.snapshot, await describeFleets(clients, fleets), memories, nowSeconds, config);
    const decided = decideFleets(planned, memories, await readHistory(dependencies, planned, memories, nowSeconds), config.policy);
    for (const fleet of decided) memories.set(fleet.fleet, fleet.memory);
    await putMetrics(clients, METRIC_NAMESPACE, metricDatums(config.deploymentName, decided.map(fleetMetrics), 0, at));
    const results: FleetOutcome[] = [];
    for (const fleet of decided) results.push(await act(clients, config, fleet));
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

type FeedRead = { text: string; snapshot: FeedSnapshot } | { text?: string; feedError: FeedError };

/** The page (fetched with retries unless already fetched) and its parse; a FeedError is returned, anything else thrown. */
async function readFeed(config: HandlerConfig, prefetched: string | undefined): Promise<FeedRead> {
  let text = prefetched;
  try {
    text ??= await fetchFeed(config.feedUrl, { timeoutMs: config.feedTimeoutMs, attempts: config.feedAttempts });
    return { text, snapshot: parseFeed(text, config) };
  } catch (error) {
    if (error instanceof FeedError) return text === undefined ? { feedError: error } : { text, feedError: error };
    throw error;
  }
}

async function reportFeedError(dependencies: PollDependencies, error: FeedError, at: Date, requestId: string | undefined, trigger: PollTrigger) {
  const { config, clients, log } = dependencies;
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
}

/** Each configured fleet's group; a group Auto Scaling does not know stops the poll before anything changes. */
async function describeFleets(clients: AwsClients, fleets: readonly ConfiguredFleet[]): Promise<DescribedFleet[]> {
  const described = await describeGroups(
    clients,
    fleets.map(({ groupName }) => groupName),
  );
  return fleets.map(({ fleet, groupName }) => {
    const group = described.get(groupName);
    if (!group) throw new Error(`Auto Scaling group "${groupName}" (${fleet}) not found: check ${fleet.toUpperCase()}_GROUP_NAME; no capacity was changed`);
    return { fleet, groupName, group };
  });
}

/** The published RequiredCapacity of the fleets whose decision needs it (`needsHistory`). */
async function readHistory(
  dependencies: PollDependencies,
  planned: readonly PlannedFleet[],
  memories: ReadonlyMap<Architecture, FleetMemory>,
  nowSeconds: number,
): Promise<Map<Architecture, RequiredCapacitySample[]>> {
  const { config, clients } = dependencies;
  const over = planned.filter(({ fleet, observed }) => needsHistory(observed, memories.get(fleet) ?? freshFleetMemory, config.policy));
  if (over.length === 0) return new Map();
  const queries = over.map(({ fleet }) => ({
    id: `required_${fleet}`,
    namespace: METRIC_NAMESPACE,
    metricName: METRIC_NAMES.requiredCapacity,
    dimensions: { Deployment: config.deploymentName, Fleet: fleetDimension(fleet) },
  }));
  const stored = await readMinuteMaxima(clients, queries, historyWindowStart(nowSeconds, config.policy), nowSeconds);
  return new Map(over.map(({ fleet }) => [fleet, stored.get(`required_${fleet}`) ?? []]));
}

function fleetMetrics({ fleet, demand, observed, decision }: DecidedFleet) {
  return {
    fleet: fleetDimension(fleet),
    queuedActions: demand.queuedActions,
    executingActions: demand.executingActions,
    connectedWorkers: demand.connectedWorkers,
    desiredCapacity: decision.desiredCapacity,
    requiredCapacity: decision.requiredCapacity,
    currentCapacity: observed.state.desiredCapacity,
  };
}

/** Sets the group's desired capacity when the decision changed it (in set-capacity mode). */
async function act(clients: AwsClients, config: HandlerConfig, fleet: DecidedFleet): Promise<FleetOutcome> {
  const { decision, demand, observed, groupName } = fleet;
  const previous = observed.state.desiredCapacity;
  // The policy decides in vCPUs; a group that counts instances gets enough whole ones (an odd count rounds up to what it has).
  const units = capacityUnitsFor(decision.desiredCapacity, fleet.group.vcpusPerUnit);
  const capacitySet = config.mode === "set-capacity" && units * fleet.group.vcpusPerUnit !== previous;
  if (capacitySet) await setDesiredCapacity(clients, groupName, units);
  return {
    fleet: fleetDimension(fleet.fleet),
    groupName,
    queuedActions: demand.queuedActions,
    executingActions: demand.executingActions,
    connectedWorkers: demand.connectedWorkers,
    previousDesiredCapacity: previous,
    decision,
    capacitySet,
  };
}
