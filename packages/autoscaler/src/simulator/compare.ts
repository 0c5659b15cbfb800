import { defaultFeedCheck } from "../handler/config.js";
import { defaultPolicySettings, defaultPollIntervalSeconds, type CapacityPolicySettings } from "../policy/capacity-policy.js";
import { autoscalerPolicy, oracle, staticFleet, targetTracking } from "./controllers.js";
import { defaultFleetModel, type FleetModel } from "./fleet-model.js";
import { simulate, type SimulationResult } from "./simulate.js";
import type { Trace } from "./trace.js";

/** The comparison the benchmark prints: the four policies on one trace. */
export interface PolicyComparison {
  readonly trace: string;
  readonly staticFleet: SimulationResult;
  readonly targetTracking: SimulationResult;
  readonly policy: SimulationResult;
  readonly oracle: SimulationResult;
  readonly verdict: {
    /** policy worker-hours / oracle worker-hours; target ≤ 1.15. */
    readonly hoursVersusOracle: number;
    /** Target: p95 queue wait ≤ boot delay + 60 s. */
    readonly p95WaitLimitSeconds: number;
    readonly withinHours: boolean;
    readonly withinWait: boolean;
    readonly beatsTargetTracking: boolean;
    /**
     * The same two checks on the start delay (traced arrival → start: the queue wait plus what the action's lane lost
     * before it), the build's view of waiting. Reported beside the targets, which are on the queue wait.
     */
    readonly withinStartDelay: boolean;
    readonly beatsTargetTrackingOnStartDelay: boolean;
  };
}

export interface ComparisonOptions {
  readonly model?: FleetModel;
  readonly settings?: CapacityPolicySettings;
  /** How often the Lambda polls the feed. @default 20 */
  readonly pollSeconds?: number;
  /** How often it looks at the feed between polls, deciding when it changed. @default 5 (as the Lambda's default) */
  readonly feedCheckSeconds?: number;
  /** The static fleet's capacity: the original's minimum was one 2-vCPU x86_64 worker. @default 2 */
  readonly staticCapacity?: number;
}

export function comparePolicies(trace: Trace, options: ComparisonOptions = {}): PolicyComparison {
  const model = options.model ?? defaultFleetModel;
  const settings = options.settings ?? defaultPolicySettings;
  const staticCapacity = options.staticCapacity ?? 2;
  const pollSeconds = options.pollSeconds ?? defaultPollIntervalSeconds;
  const results = {
    staticFleet: simulate(trace, { ...model, minCapacity: staticCapacity }, staticFleet(staticCapacity)),
    targetTracking: simulate(trace, model, targetTracking(settings.unitsPerAction)),
    policy: simulate(trace, model, autoscalerPolicy(settings, pollSeconds, options.feedCheckSeconds ?? defaultFeedCheck(pollSeconds, "set-capacity"))),
    oracle: simulate(trace, model, oracle(settings.unitsPerAction)),
  };
  const hoursVersusOracle = results.policy.workerHours / results.oracle.workerHours;
  const p95WaitLimitSeconds = model.bootSeconds + 60;
  const { policy, targetTracking: tracking } = results;
  // The wait targets, on either measure of waiting.
  const judge = (measure: "queueWaitSeconds" | "startDelaySeconds") => ({
    within: policy[measure].p95 <= p95WaitLimitSeconds,
    beats: policy.workerHours < tracking.workerHours && policy[measure].p95 < tracking[measure].p95,
  });
  const wait = judge("queueWaitSeconds");
  const delay = judge("startDelaySeconds");
  return {
    trace: trace.name,
    ...results,
    verdict: {
      hoursVersusOracle,
      p95WaitLimitSeconds,
      withinHours: hoursVersusOracle <= 1.15,
      withinWait: wait.within,
      beatsTargetTracking: wait.beats,
      withinStartDelay: delay.within,
      beatsTargetTrackingOnStartDelay: delay.beats,
    },
  };
}
