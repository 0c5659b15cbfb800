import {
  decideCapacity,
  estimateDrain,
  historyPeriodSeconds,
  requiredCapacity,
  type CapacityDecision,
  type CapacityPolicySettings,
  type DemandSample,
  type DrainEstimate,
  type FleetState,
  type RequiredCapacitySample,
} from "./capacity-policy.js";

/**
 * One fleet's decision step, shared by the Lambda's poll loop and the simulator's controller so both decide alike:
 * record the reading, measure the drain, decide (with the requirement history), remember the published requirement.
 * The Lambda reads CloudWatch between the two halves (`observeFleet`, then `decideFleet`) when `needsHistory`; the
 * simulator calls `stepFleet`, the same two halves with CloudWatch's answer computed from what it published.
 */

/** What one fleet's decisions remember: the demand samples the rates are measured on and the requirements published. */
export interface FleetMemory {
  readonly samples: readonly DemandSample[];
  readonly published: readonly RequiredCapacitySample[];
}

export const freshFleetMemory: FleetMemory = { samples: [], published: [] };

/** One reading of a fleet: its part of the feed and its group's capacity settings, at `nowSeconds`. */
export interface FleetReading {
  readonly nowSeconds: number;
  readonly queuedActions: number;
  readonly executingActions: number;
  /** The scheduler's `completed` counter; undefined when the feed lacked it. */
  readonly completedActions: number | undefined;
  /** This fleet's part of the completions (1 with one fleet). */
  readonly completionShare: number;
  readonly desiredCapacity: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
}

/** The first half of a step: the fleet's state with its drain measured, and the samples kept for the next step. */
export interface ObservedFleet {
  readonly nowSeconds: number;
  readonly state: FleetState;
  readonly samples: readonly DemandSample[];
}

/** Samples older than this are no longer read by `estimateDrain` (its window plus the gap it tolerates). */
const sampleHorizon = (nowSeconds: number, settings: CapacityPolicySettings) => nowSeconds - settings.rateWindowSeconds - 3 * historyPeriodSeconds;

/** The oldest requirement `decideCapacity` may read: its idle period plus one history period. */
export function historyWindowStart(nowSeconds: number, settings: CapacityPolicySettings): number {
  return nowSeconds - settings.scaleInAfterSeconds - historyPeriodSeconds;
}

/** CloudWatch rounds a GetMetricData start time down to the period (for data less than 15 days old). */
export const minuteStart = (seconds: number) => Math.floor(seconds / historyPeriodSeconds) * historyPeriodSeconds;

/**
 * What CloudWatch returns for these published requirements over [start, end): one-minute maxima, each stamped with
 * its minute's end clipped to `end` (as `readMinuteMaxima` stamps them), so a requirement counts until its minute ends.
 */
export function minuteMaxima(published: readonly RequiredCapacitySample[], startSeconds: number, endSeconds: number): RequiredCapacitySample[] {
  const maxima = new Map<number, number>();
  for (const { atSeconds, units } of published) {
    if (atSeconds < minuteStart(startSeconds) || atSeconds >= endSeconds) continue;
    const minute = minuteStart(atSeconds);
    maxima.set(minute, Math.max(units, maxima.get(minute) ?? units));
  }
  return [...maxima].map(([minute, units]) => ({ atSeconds: Math.min(endSeconds, minute + historyPeriodSeconds), units }));
}

export function observeFleet(memory: FleetMemory, reading: FleetReading, settings: CapacityPolicySettings): ObservedFleet {
  const { nowSeconds, queuedActions, executingActions, completedActions, completionShare } = reading;
  const horizon = sampleHorizon(nowSeconds, settings);
  const kept = memory.samples.filter((sample) => sample.atSeconds >= horizon && sample.atSeconds < nowSeconds);
  const samples = [...kept, { atSeconds: nowSeconds, queuedActions, executingActions, completedActions, completionShare }];
  const drain = estimateDrain(samples, nowSeconds, settings);
  const { desiredCapacity, minCapacity, maxCapacity } = reading;
  return { nowSeconds, samples, state: { queuedActions, executingActions, desiredCapacity, minCapacity, maxCapacity, drain } };
}

/**
 * Whether the decision needs CloudWatch's requirement history: only an over-provisioned fleet's decision reads history,
 * and only when this process's own requirements do not cover the idle period without a gap of more than a minute
 * (after a cold start, or when another container decided in between). Its own are exact, while CloudWatch's minute
 * maxima hold each requirement until its minute ends, which delays every scale-in by up to a minute.
 */
export function needsHistory(observed: ObservedFleet, memory: FleetMemory, settings: CapacityPolicySettings): boolean {
  if (requiredCapacity(observed.state, settings) >= observed.state.desiredCapacity) return false;
  const times = [...memory.published.map((sample) => sample.atSeconds), observed.nowSeconds];
  const continuous = times.every((at, i) => at - (times[i - 1] ?? at) <= historyPeriodSeconds);
  return !(continuous && (times[0] ?? observed.nowSeconds) <= observed.nowSeconds - settings.scaleInAfterSeconds);
}

/** The second half: decides on `stored` history (CloudWatch's) plus what this memory published, and remembers the result. */
export function decideFleet(
  observed: ObservedFleet,
  memory: FleetMemory,
  stored: readonly RequiredCapacitySample[],
  settings: CapacityPolicySettings,
): { decision: CapacityDecision; memory: FleetMemory } {
  const { nowSeconds } = observed;
  // Kept from the start of the window's first minute: what CloudWatch would return, for `stepFleet`.
  const published = memory.published.filter((sample) => sample.atSeconds >= minuteStart(historyWindowStart(nowSeconds, settings)));
  const decision = decideCapacity(observed.state, [...stored, ...published], nowSeconds, settings);
  return { decision, memory: { samples: observed.samples, published: [...published, { atSeconds: nowSeconds, units: decision.requiredCapacity }] } };
}

/**
 * Both halves, for a process that keeps its history itself (the simulator): the stored history is what CloudWatch
 * would return for the requirements it published. `adjustDrain` lets a benchmark ablation alter the measured drain
 * (e.g. ignore arrivals); the Lambda has none.
 */
export function stepFleet(
  memory: FleetMemory,
  reading: FleetReading,
  settings: CapacityPolicySettings,
  adjustDrain?: (drain: DrainEstimate) => DrainEstimate,
): { decision: CapacityDecision; memory: FleetMemory } {
  const observed = observeFleet(memory, reading, settings);
  const drain = observed.state.drain;
  const adjusted = adjustDrain && drain ? { ...observed, state: { ...observed.state, drain: adjustDrain(drain) } } : observed;
  const { nowSeconds } = observed;
  const stored = needsHistory(adjusted, memory, settings) ? minuteMaxima(memory.published, historyWindowStart(nowSeconds, settings), nowSeconds) : [];
  return decideFleet(adjusted, memory, stored, settings);
}
