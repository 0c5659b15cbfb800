/**
 * The capacity policy: pure, no I/O, the same functions in the Lambda and in the simulator (bench/).
 *
 * Desired capacity (in the groups' capacity units: vCPUs, the instance weights) is what covers the executing and
 * queued actions, clamped to the group's min and max — less the queued actions the running fleet will have started
 * before a new instance could boot, when the feed shows it draining its queue faster than actions arrive. It scales
 * out at once. It scales in only after the fleet has been over-provisioned for `scaleInAfterSeconds` (or, when the
 * requirement collapsed to at most `quickScaleInFraction` of the fleet, for `quickScaleInAfterSeconds`): to the
 * highest requirement seen in that window (a stabilization window, as Kubernetes' HPA does for scale-down), and never
 * below what the executing actions occupy.
 */

/** Settings of the policy; `defaultPolicySettings` are what the benchmark was run with (README). */
export interface CapacityPolicySettings {
  /** Capacity units one action occupies: with weights = vCPUs, the vCPUs per action. */
  readonly unitsPerAction: number;
  /** How long the fleet must have been over-provisioned, with evidence for the whole period, before it scales in. */
  readonly scaleInAfterSeconds: number;
  /**
   * A shorter idle period for a collapse: when every requirement of the last `quickScaleInAfterSeconds` is at most
   * `quickScaleInFraction` × the desired capacity (a build has ended, not a dip), the fleet scales in to that
   * window's peak — but keeps one action's capacity (⌈unitsPerAction⌉): the last units go after the full idle period.
   */
  readonly quickScaleInAfterSeconds: number;
  /** See `quickScaleInAfterSeconds`; 0 turns the quick path off. */
  readonly quickScaleInFraction: number;
  /** Launch to a registered worker: how long before a capacity ordered now can take an action (the drain horizon). */
  readonly bootSeconds: number;
  /**
   * Completion and arrival rates are measured over this window (a multiple of the scheduler's export interval, so
   * both ends of it are equally stale); the drain refinement waits until that much history exists.
   */
  readonly rateWindowSeconds: number;
}

export const defaultPolicySettings: CapacityPolicySettings = {
  unitsPerAction: 1,
  scaleInAfterSeconds: 180,
  quickScaleInAfterSeconds: 60,
  quickScaleInFraction: 0.5,
  bootSeconds: 120,
  rateWindowSeconds: 120,
};

/** How often the Lambda decides on schedule: three polls per one-minute invocation. */
export const defaultPollIntervalSeconds = 20;

/** How often the Lambda looks at the feed between polls, to decide as soon as the scheduler exported new numbers. */
export const defaultFeedCheckSeconds = 5;

/** How often history is sampled (CloudWatch's one-minute period); a gap of two periods counts as missing evidence. */
export const historyPeriodSeconds = 60;

/** The queued actions' drain, as measured over the rate window; see `estimateDrain`. */
export type DrainEstimate =
  | {
      readonly kind: "known";
      /** Actions this fleet completed per second over the window (NativeLink's `completed` counter). */
      readonly completionsPerSecond: number;
      /** Actions that reached this fleet per second: completions + the growth of queued + executing. */
      readonly arrivalsPerSecond: number;
      readonly overSeconds: number;
    }
  | { readonly kind: "unknown"; readonly reason: string };

/** One fleet now: the demand attributed to it and its Auto Scaling group's capacity settings. */
export interface FleetState {
  readonly queuedActions: number;
  readonly executingActions: number;
  /** The group's desired capacity now, in units: instances still booting count (they are capacity on its way). */
  readonly desiredCapacity: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** From `estimateDrain`; absent or unknown: the plain rule (every queued action needs a slot). */
  readonly drain?: DrainEstimate;
}

/** A past requirement of this fleet (the published RequiredCapacity), at a time in epoch seconds. */
export interface RequiredCapacitySample {
  readonly atSeconds: number;
  readonly units: number;
}

/** One good poll's view of a fleet, kept to measure rates. */
export interface DemandSample {
  readonly atSeconds: number;
  readonly queuedActions: number;
  readonly executingActions: number;
  /** The scheduler's `completed` counter (all fleets: it has no platform), or undefined when the feed lacked it. */
  readonly completedActions: number | undefined;
  /** This fleet's part of the completions: its share of the executing actions (1 with one fleet). */
  readonly completionShare: number;
}

export interface CapacityDecision {
  /** `scale-out` and `scale-in` change the desired capacity; `hold` keeps an over-provisioned fleet; `none`: it fits. */
  readonly action: "scale-out" | "scale-in" | "hold" | "none";
  /** The group's desired capacity after this decision. */
  readonly desiredCapacity: number;
  /** What covers executing + queued now (less the drain), clamped to min..max: the value to publish as RequiredCapacity. */
  readonly requiredCapacity: number;
  readonly reason: string;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const units = (actions: number, settings: CapacityPolicySettings) => Math.ceil(actions * settings.unitsPerAction - 1e-9);
const perSecond = (value: number) => `${Number(value.toFixed(2))}/s`;

/**
 * The rates over the last `rateWindowSeconds`, from the fleet's samples (this poll's included, at `nowSeconds`):
 * the completions the counter grew by (× the fleet's share) and the arrivals (completions + growth of queued +
 * executing), between the newest sample at least a window old and now. Unknown — and the policy falls back to the
 * plain rule — on the first polls (no sample that old), after a gap (a sample more than two history periods older
 * than the window), when the feed has no `completed` series, or when the counter went down (the scheduler restarted).
 */
export function estimateDrain(samples: readonly DemandSample[], nowSeconds: number, settings: CapacityPolicySettings): DrainEstimate {
  const sorted = samples.filter((sample) => sample.atSeconds <= nowSeconds).sort((a, b) => a.atSeconds - b.atSeconds);
  const latest = sorted.at(-1);
  if (!latest || latest.atSeconds !== nowSeconds) return { kind: "unknown", reason: "no sample of this poll" };
  if (latest.completedActions === undefined) return { kind: "unknown", reason: "the feed has no completed-stage series" };
  const baseIndex = sorted.findLastIndex((sample) => sample.atSeconds <= nowSeconds - settings.rateWindowSeconds);
  const base = sorted[baseIndex];
  if (!base) return { kind: "unknown", reason: `less than ${settings.rateWindowSeconds}s of rate history` };
  if (nowSeconds - base.atSeconds > settings.rateWindowSeconds + 2 * historyPeriodSeconds)
    return { kind: "unknown", reason: `no sample between ${nowSeconds - base.atSeconds}s and ${settings.rateWindowSeconds}s ago` };
  let previous = base.completedActions;
  for (const sample of sorted.slice(baseIndex)) {
    if (sample.completedActions === undefined || previous === undefined)
      return { kind: "unknown", reason: "the completed-stage series was missing within the rate window" };
    if (sample.completedActions < previous)
      return { kind: "unknown", reason: `the completed counter went down (${previous} → ${sample.completedActions}): the scheduler restarted` };
    previous = sample.completedActions;
  }
  const overSeconds = nowSeconds - base.atSeconds;
  const share = (base.completionShare + latest.completionShare) / 2;
  const completionsPerSecond = ((latest.completedActions - base.completedActions!) * share) / overSeconds;
  const growthPerSecond = (latest.queuedActions + latest.executingActions - base.queuedActions - base.executingActions) / overSeconds;
  return { kind: "known", completionsPerSecond, arrivalsPerSecond: Math.max(0, completionsPerSecond + growthPerSecond), overSeconds };
}

/** Queued actions the fleet will have started before a new instance could boot: (completions − arrivals) × boot. */
function drainedBeforeBoot(state: FleetState, settings: CapacityPolicySettings): number {
  if (state.drain?.kind !== "known") return 0;
  const net = Math.max(0, state.drain.completionsPerSecond - state.drain.arrivalsPerSecond);
  return Math.min(state.queuedActions, net * settings.bootSeconds);
}

/** Units that cover executing + queued actions (less those drained before a boot), clamped to the group's min..max. */
export function requiredCapacity(state: FleetState, settings: CapacityPolicySettings): number {
  const actions = state.executingActions + state.queuedActions - drainedBeforeBoot(state, settings);
  return clamp(Math.max(0, units(actions, settings)), state.minCapacity, state.maxCapacity);
}

function describeDemand(state: FleetState, settings: CapacityPolicySettings, required: number): string {
  const drained = drainedBeforeBoot(state, settings);
  const drain = state.drain;
  let queued = `${state.queuedActions} queued`;
  if (drain?.kind === "known") {
    const rates = `completing ${perSecond(drain.completionsPerSecond)}, arriving ${perSecond(drain.arrivalsPerSecond)} over ${drain.overSeconds}s`;
    queued =
      drained > 0
        ? `(${state.queuedActions} queued − ${Number(drained.toFixed(1))} started within the ${settings.bootSeconds}s boot: ${rates})`
        : `${state.queuedActions} queued (${rates}: no net drain)`;
  } else if (drain?.kind === "unknown") {
    queued = `${state.queuedActions} queued (drain unknown: ${drain.reason})`;
  }
  return (
    `${state.executingActions} executing + ${queued} ` +
    `× ${settings.unitsPerAction} = ${required} units ` +
    `(min ${state.minCapacity}, max ${state.maxCapacity})`
  );
}

/**
 * The decision for one fleet. `history` holds the fleet's earlier requirements; only the last
 * `scaleInAfterSeconds` of it is read, and only when the fleet is over-provisioned.
 */
export function decideCapacity(
  state: FleetState,
  history: readonly RequiredCapacitySample[],
  nowSeconds: number,
  settings: CapacityPolicySettings,
): CapacityDecision {
  const required = requiredCapacity(state, settings);
  const current = state.desiredCapacity;
  const demand = describeDemand(state, settings, required);
  if (required > current)
    return { action: "scale-out", desiredCapacity: required, requiredCapacity: required, reason: `${demand} > desired ${current}: scale out at once` };
  if (current > state.maxCapacity) {
    return {
      action: "scale-in",
      desiredCapacity: state.maxCapacity,
      requiredCapacity: required,
      reason: `desired ${current} is above the group's max: ${state.maxCapacity}`,
    };
  }
  if (required === current) return { action: "none", desiredCapacity: current, requiredCapacity: required, reason: `${demand} = desired` };

  const executingFloor = units(state.executingActions, settings);
  const full = scaleInWindow(history, required, nowSeconds, settings.scaleInAfterSeconds);
  let target: number | undefined;
  let why = "";
  if (full.peak !== undefined) {
    target = clamp(Math.max(full.peak, executingFloor), state.minCapacity, state.maxCapacity);
    why = `over-provisioned for ${settings.scaleInAfterSeconds}s (at most ${full.peak} units required, ${executingFloor} executing)`;
  }
  if (settings.quickScaleInFraction > 0 && settings.quickScaleInAfterSeconds < settings.scaleInAfterSeconds) {
    const quick = scaleInWindow(history, required, nowSeconds, settings.quickScaleInAfterSeconds);
    if (quick.peak !== undefined && quick.peak <= settings.quickScaleInFraction * current) {
      const keep = Math.min(current, units(1, settings));
      const quickTarget = clamp(Math.max(quick.peak, executingFloor, keep), state.minCapacity, state.maxCapacity);
      if (target === undefined || quickTarget < target) {
        target = quickTarget;
        why =
          `at most ${quick.peak} units (≤ ${settings.quickScaleInFraction} × ${current}) ` +
          `required for ${settings.quickScaleInAfterSeconds}s, ${executingFloor} executing: a collapse (keeping ${keep} for the full idle period)`;
      }
    }
  }
  if (target === undefined)
    return { action: "hold", desiredCapacity: current, requiredCapacity: required, reason: `${demand} < desired ${current}, but ${full.missing}: hold` };
  if (target >= current) {
    const but = full.peak === undefined ? full.missing : `${full.peak} units were required within the last ${settings.scaleInAfterSeconds}s`;
    return { action: "hold", desiredCapacity: current, requiredCapacity: required, reason: `${demand} < desired ${current}, but ${but}: hold` };
  }
  return { action: "scale-in", desiredCapacity: target, requiredCapacity: required, reason: `${why}: scale in from ${current} to ${target}` };
}

/** The highest requirement of the last `seconds` (now included), or why the history is no evidence of that period. */
function scaleInWindow(
  history: readonly RequiredCapacitySample[],
  required: number,
  nowSeconds: number,
  seconds: number,
): { peak: number; missing?: undefined } | { peak?: undefined; missing: string } {
  const windowStart = nowSeconds - seconds;
  const window = history.filter((sample) => sample.atSeconds >= windowStart && sample.atSeconds <= nowSeconds).sort((a, b) => a.atSeconds - b.atSeconds);
  const missing = missingEvidence(window, windowStart, nowSeconds, seconds);
  if (missing) return { missing };
  return { peak: Math.max(required, ...window.map((sample) => sample.units)) };
}

/**
 * Why the window is not evidence of a whole idle period, or undefined when it is: its first sample must be within a
 * history period of its start (CloudWatch's minutes; half the window for a shorter one, the quick scale-in's minute)
 * and no two samples more than two periods apart.
 */
function missingEvidence(window: readonly RequiredCapacitySample[], windowStart: number, nowSeconds: number, seconds: number): string | undefined {
  const first = window[0];
  if (!first) return "no requirement history covers the idle period yet";
  if (first.atSeconds > windowStart + Math.min(historyPeriodSeconds, seconds / 2))
    return `the requirement history starts only ${nowSeconds - first.atSeconds}s ago`;
  const times = [...window.map((sample) => sample.atSeconds), nowSeconds];
  for (let i = 1; i < times.length; i += 1) {
    const gap = times[i]! - times[i - 1]!;
    if (gap > Math.min(2 * historyPeriodSeconds, seconds)) return `the requirement history has a ${gap}s gap (no valid feed)`;
  }
  return undefined;
}
