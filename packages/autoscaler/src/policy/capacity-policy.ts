/**
 * The capacity policy: pure, no I/O, the same function in the Lambda and in the simulator (bench/).
 *
 * Desired capacity (in the groups' capacity units: vCPUs, the instance weights) is what covers the executing and
 * queued actions, clamped to the group's min and max. It scales out at once. It scales in only after the fleet has
 * been over-provisioned for `scaleInAfterSeconds`: to the highest requirement seen in that window (a stabilization
 * window, as Kubernetes' HPA does for scale-down), and never below what the executing actions occupy.
 */

/** Settings of the policy; `defaultPolicySettings` are what the benchmark tuned (README). */
export interface CapacityPolicySettings {
  /** Capacity units one action occupies: with weights = vCPUs, the vCPUs per action. */
  readonly unitsPerAction: number;
  /** How long the fleet must have been over-provisioned, with evidence for the whole period, before it scales in. */
  readonly scaleInAfterSeconds: number;
}

export const defaultPolicySettings: CapacityPolicySettings = { unitsPerAction: 1, scaleInAfterSeconds: 180 };

/** How often the Lambda reads the feed: three polls per one-minute invocation (tuned with scaleInAfterSeconds). */
export const defaultPollIntervalSeconds = 20;

/** How often history is sampled (CloudWatch's one-minute period); a gap of two periods counts as missing evidence. */
export const historyPeriodSeconds = 60;

/** One fleet now: the demand attributed to it and its Auto Scaling group's capacity settings. */
export interface FleetState {
  readonly queuedActions: number;
  readonly executingActions: number;
  /** The group's desired capacity now, in units. */
  readonly desiredCapacity: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
}

/** A past requirement of this fleet (the published RequiredCapacity), at a time in epoch seconds. */
export interface RequiredCapacitySample {
  readonly atSeconds: number;
  readonly units: number;
}

export interface CapacityDecision {
  /** `scale-out` and `scale-in` change the desired capacity; `hold` keeps an over-provisioned fleet; `none`: it fits. */
  readonly action: "scale-out" | "scale-in" | "hold" | "none";
  /** The group's desired capacity after this decision. */
  readonly desiredCapacity: number;
  /** What covers executing + queued now, clamped to min..max: the value to publish as RequiredCapacity. */
  readonly requiredCapacity: number;
  readonly reason: string;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** Units that cover executing + queued actions, clamped to the group's min..max. */
export function requiredCapacity(state: FleetState, settings: CapacityPolicySettings): number {
  const demand = Math.ceil((state.executingActions + state.queuedActions) * settings.unitsPerAction - 1e-9);
  return clamp(Math.max(0, demand), state.minCapacity, state.maxCapacity);
}

/**
 * The decision for one fleet. `history` holds the fleet's earlier requirements; only the last
 * `scaleInAfterSeconds` of it is read, and only when the fleet is over-provisioned.
 */
export function decideCapacity(state: FleetState, history: readonly RequiredCapacitySample[], nowSeconds: number, settings: CapacityPolicySettings): CapacityDecision {
  const required = requiredCapacity(state, settings);
  const current = state.desiredCapacity;
  const demand = `${state.executingActions} executing + ${state.queuedActions} queued × ${settings.unitsPerAction} = ${required} units (min ${state.minCapacity}, max ${state.maxCapacity})`;
  if (required > current) return { action: "scale-out", desiredCapacity: required, requiredCapacity: required, reason: `${demand} > desired ${current}: scale out at once` };
  if (current > state.maxCapacity) {
    return { action: "scale-in", desiredCapacity: state.maxCapacity, requiredCapacity: required, reason: `desired ${current} is above the group's max: ${state.maxCapacity}` };
  }
  if (required === current) return { action: "none", desiredCapacity: current, requiredCapacity: required, reason: `${demand} = desired` };

  const windowStart = nowSeconds - settings.scaleInAfterSeconds;
  const window = history.filter((sample) => sample.atSeconds >= windowStart && sample.atSeconds <= nowSeconds).sort((a, b) => a.atSeconds - b.atSeconds);
  const missing = missingEvidence(window, windowStart, nowSeconds);
  if (missing) return { action: "hold", desiredCapacity: current, requiredCapacity: required, reason: `${demand} < desired ${current}, but ${missing}: hold` };

  const executingFloor = Math.ceil(state.executingActions * settings.unitsPerAction - 1e-9);
  const peak = Math.max(required, ...window.map((sample) => sample.units));
  const target = clamp(Math.max(peak, executingFloor), state.minCapacity, state.maxCapacity);
  if (target >= current) {
    return { action: "hold", desiredCapacity: current, requiredCapacity: required, reason: `${demand} < desired ${current}, but ${peak} units were required within the last ${settings.scaleInAfterSeconds}s: hold` };
  }
  return {
    action: "scale-in",
    desiredCapacity: target,
    requiredCapacity: required,
    reason: `over-provisioned for ${settings.scaleInAfterSeconds}s (at most ${peak} units required, ${executingFloor} executing): scale in from ${current} to ${target}`,
  };
}

/** Why the window is not evidence of a whole idle period, or undefined when it is. */
function missingEvidence(window: readonly RequiredCapacitySample[], windowStart: number, nowSeconds: number): string | undefined {
  const first = window[0];
  if (!first) return "no requirement history covers the idle period yet";
  if (first.atSeconds > windowStart + historyPeriodSeconds) return `the requirement history starts only ${nowSeconds - first.atSeconds}s ago`;
  const times = [...window.map((sample) => sample.atSeconds), nowSeconds];
  for (let i = 1; i < times.length; i += 1) {
    const gap = times[i]! - times[i - 1]!;
    if (gap > 2 * historyPeriodSeconds) return `the requirement history has a ${gap}s gap (no valid feed)`;
  }
  return undefined;
}
