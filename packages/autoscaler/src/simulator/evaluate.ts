import { defaultFeedCheck } from "../handler/config.js";
import { defaultPolicySettings, defaultPollIntervalSeconds, type CapacityPolicySettings } from "../policy/capacity-policy.js";
import { autoscalerPolicy, oracle, targetTracking } from "./controllers.js";
import type { Controller, FleetModel } from "./fleet-model.js";
import { simulate, type SimulationResult } from "./simulate.js";
import type { Trace } from "./trace.js";

/**
 * The best a reactive policy can do with the fleet's boot time: it sees the scheduler's demand at once (no export
 * interval, no poll) and keeps exactly that capacity, scaling in the moment demand falls (no idle tail). Each burst
 * still waits a boot (or a resume from the warm pool). A bound to read a policy's result against where the oracle's
 * is out of reach: a burst shorter than a boot.
 */
export function reactiveBound(unitsPerAction: number): Controller {
  return {
    name: "reactive bound (sees demand at once, no idle tail)",
    intervalSeconds: 1,
    decide: (observation) => Math.ceil(observation.liveDemandActions * unitsPerAction),
  };
}

/**
 * The best a policy reading this feed can do: it keeps exactly the demand of the last export (no poll, no idle tail).
 * Its gap to the oracle is the export interval and the boot; the policy's gap to it is the policy's own.
 */
export function feedBound(unitsPerAction: number): Controller {
  return {
    name: "feed bound (the last export's demand, no idle tail)",
    intervalSeconds: 1,
    decide: ({ feed, desiredCapacity }) => (feed ? Math.ceil((feed.queuedActions + feed.executingActions) * unitsPerAction) : desiredCapacity),
  };
}

/**
 * The reactive bound with the policy's scale-in holds: it sees the scheduler's demand at once and scales out to it at
 * once, but scales in only as `decideCapacity` does — to the highest demand of the last `scaleInAfterSeconds`, or, when
 * every demand of the last `quickScaleInAfterSeconds` is at most `quickScaleInFraction` of the fleet (a collapse), to
 * that (keeping one action's units until the full hold). Its gap to the reactive bound is what the holds cost; the
 * policy's gap to it is the export's staleness, the poll and the policy's estimates.
 */
export function holdBound(settings: CapacityPolicySettings): Controller {
  const seen: { atSeconds: number; units: number }[] = [];
  const peakSince = (since: number) => Math.max(0, ...seen.filter((sample) => sample.atSeconds > since).map((sample) => sample.units));
  return {
    name: "hold bound (sees demand at once, the policy's scale-in holds)",
    intervalSeconds: 1,
    decide: ({ nowSeconds, liveDemandActions, desiredCapacity, minCapacity, maxCapacity }) => {
      const required = Math.ceil(liveDemandActions * settings.unitsPerAction);
      seen.push({ atSeconds: nowSeconds, units: required });
      while ((seen[0]?.atSeconds ?? nowSeconds) <= nowSeconds - settings.scaleInAfterSeconds) seen.shift();
      if (required >= desiredCapacity) return Math.min(maxCapacity, required);
      let target = peakSince(nowSeconds - settings.scaleInAfterSeconds);
      const quickPeak = peakSince(nowSeconds - settings.quickScaleInAfterSeconds);
      if (settings.quickScaleInFraction > 0 && quickPeak <= settings.quickScaleInFraction * desiredCapacity)
        target = Math.min(target, Math.max(quickPeak, Math.min(desiredCapacity, Math.ceil(settings.unitsPerAction))));
      return Math.min(desiredCapacity, Math.max(minCapacity, target));
    },
  };
}

/** One held-out day under one fleet model. */
export interface DayEvaluation {
  readonly trace: string;
  readonly policy: SimulationResult;
  readonly targetTracking: SimulationResult;
  readonly reactiveBound: SimulationResult;
  readonly feedBound: SimulationResult;
  readonly holdBound: SimulationResult;
  /** The oracle on the cold fleet (`baseModel`): the same yardstick with and without a warm pool. */
  readonly oracle: SimulationResult;
  readonly verdict: DayVerdict;
}

export interface DayVerdict {
  /** (policy worker-hours + stopped volumes) / the oracle's; target ≤ 1.15. */
  readonly hoursVersusOracle: number;
  /** The reactive bound's, the same way. */
  readonly boundHoursVersusOracle: number;
  /** The feed bound's, the same way. */
  readonly feedBoundHoursVersusOracle: number;
  /** The hold bound's, the same way. */
  readonly holdBoundHoursVersusOracle: number;
  /** Target: p95 queue wait ≤ the cold boot + 60 s. */
  readonly p95WaitLimitSeconds: number;
  readonly withinHours: boolean;
  readonly withinWait: boolean;
  /** Fewer hours than target tracking, or a lower p95 wait at no more than 2 % more hours. */
  readonly beatsTargetTracking: boolean;
}

export interface EvaluationOptions {
  /** The fleet without a warm pool: the oracle's, and the policy's unless `model` is given. */
  readonly baseModel: FleetModel;
  /** The fleet the policy, target tracking and the bound run on (e.g. `withWarmPool(baseModel)`). @default baseModel */
  readonly model?: FleetModel;
  readonly settings?: CapacityPolicySettings;
  /** The oracle's result on `baseModel`, when already simulated (it does not depend on `model`). */
  readonly oracleResult?: SimulationResult;
}

const paidHours = (result: SimulationResult) => result.workerHours + result.stoppedVolumeHours;

export function evaluateDay(trace: Trace, options: EvaluationOptions): DayEvaluation {
  const { baseModel } = options;
  const model = options.model ?? baseModel;
  const settings = options.settings ?? defaultPolicySettings;
  const pollSeconds = defaultPollIntervalSeconds;
  const policy = simulate(trace, model, autoscalerPolicy(settings, pollSeconds, defaultFeedCheck(pollSeconds, "set-capacity")));
  const tracking = simulate(trace, model, targetTracking(settings.unitsPerAction));
  const bound = simulate(trace, model, reactiveBound(settings.unitsPerAction));
  const fromFeed = simulate(trace, model, feedBound(settings.unitsPerAction));
  const held = simulate(trace, model, holdBound(settings));
  const ideal = options.oracleResult ?? simulate(trace, baseModel, oracle(settings.unitsPerAction));
  const p95WaitLimitSeconds = baseModel.bootSeconds + 60;
  const hoursVersusOracle = paidHours(policy) / paidHours(ideal);
  const fewerHours = paidHours(policy) < paidHours(tracking);
  const lowerWait = policy.queueWaitSeconds.p95 < tracking.queueWaitSeconds.p95 && paidHours(policy) <= 1.02 * paidHours(tracking);
  return {
    trace: trace.name,
    policy,
    targetTracking: tracking,
    reactiveBound: bound,
    feedBound: fromFeed,
    holdBound: held,
    oracle: ideal,
    verdict: {
      hoursVersusOracle,
      boundHoursVersusOracle: paidHours(bound) / paidHours(ideal),
      feedBoundHoursVersusOracle: paidHours(fromFeed) / paidHours(ideal),
      holdBoundHoursVersusOracle: paidHours(held) / paidHours(ideal),
      p95WaitLimitSeconds,
      withinHours: hoursVersusOracle <= 1.15,
      withinWait: policy.queueWaitSeconds.p95 <= p95WaitLimitSeconds,
      beatsTargetTracking: fewerHours || lowerWait,
    },
  };
}
