import type { CapacityPolicySettings, DrainEstimate } from "../policy/capacity-policy.js";
import { freshFleetMemory, stepFleet } from "../policy/fleet-step.js";
import type { Controller } from "./fleet-model.js";

/** A fixed fleet: the original deployment's workers sat at their minimum. */
export function staticFleet(capacity: number): Controller {
  return { name: `static ${capacity} vCPUs`, intervalSeconds: 60, decide: () => capacity };
}

/**
 * This package's policy, stepped by `stepFleet` as the Lambda's poll loop steps it: every `feedCheckSeconds` it looks
 * at the feed and decides when the numbers changed since the last look, and every `pollSeconds` it decides anyway;
 * the step's memory keeps the demand samples (the rates' history) and the published requirements (the history
 * CloudWatch would return). `variant` lets a benchmark ablation rename it and alter the
 * drain estimate (e.g. ignore arrivals) while everything else stays the real policy.
 */
export function autoscalerPolicy(
  settings: CapacityPolicySettings,
  pollSeconds: number,
  feedCheckSeconds = pollSeconds,
  variant: { readonly name?: string; readonly adjustDrain?: (drain: DrainEstimate) => DrainEstimate } = {},
): Controller {
  if (pollSeconds % feedCheckSeconds !== 0) throw new Error(`feedCheckSeconds (${feedCheckSeconds}) must divide pollSeconds (${pollSeconds})`);
  let memory = freshFleetMemory;
  let lastSeen: string | undefined;
  const checks = feedCheckSeconds === pollSeconds ? "" : `, feed checked every ${feedCheckSeconds}s`;
  return {
    name: variant.name ?? `this policy (poll ${pollSeconds}s${checks})`,
    intervalSeconds: feedCheckSeconds,
    decide(observation) {
      const { feed, nowSeconds, desiredCapacity, minCapacity, maxCapacity } = observation;
      if (!feed) return desiredCapacity;
      const seen = `${feed.queuedActions} ${feed.executingActions} ${feed.completedActions} ${feed.connectedWorkers}`;
      const changed = seen !== lastSeen;
      lastSeen = seen;
      if (nowSeconds % pollSeconds !== 0 && !changed) return desiredCapacity;
      const { queuedActions, executingActions, completedActions } = feed;
      const reading = { nowSeconds, queuedActions, executingActions, completedActions, completionShare: 1, desiredCapacity, minCapacity, maxCapacity };
      const step = stepFleet(memory, reading, settings, variant.adjustDrain);
      memory = step.memory;
      return step.decision.desiredCapacity;
    },
  };
}

/**
 * CloudWatch target tracking on demand per unit of capacity (target 1), fed by a Lambda that publishes the feed
 * once a minute: the scale-out alarm needs 2 consecutive one-minute datapoints above target, the scale-in alarm 15
 * below 90 % of it (AWS's defaults for target tracking); each sets capacity to ceil(demand / target).
 */
export function targetTracking(unitsPerAction: number): Controller {
  const datapoints: { demand: number; capacity: number }[] = [];
  return {
    name: "target tracking (2 × 60 s datapoints)",
    intervalSeconds: 60,
    decide(observation) {
      const { feed, desiredCapacity } = observation;
      if (feed) datapoints.push({ demand: (feed.queuedActions + feed.executingActions) * unitsPerAction, capacity: desiredCapacity });
      const last = (count: number) => (datapoints.length >= count ? datapoints.slice(-count) : undefined);
      const latest = datapoints.at(-1);
      if (!latest) return desiredCapacity;
      const wanted = Math.ceil(latest.demand);
      const high = last(2)?.every((point) => point.demand > point.capacity);
      if (high && wanted > desiredCapacity) return wanted;
      const low = last(15)?.every((point) => point.demand < 0.9 * point.capacity);
      if (low && wanted < desiredCapacity) return wanted;
      return desiredCapacity;
    },
  };
}

/**
 * Knows every arrival and duration in advance: keeps, at each second, the capacity that the actions running in
 * the next `bootSeconds` need if none waits, so each instance is ready when its first action arrives. The
 * physical limit of any policy given the boot delay (no feed, no reaction time).
 */
export function oracle(unitsPerAction: number): Controller {
  let needAhead: Float64Array = new Float64Array(0);
  return {
    name: "oracle (knows the future)",
    intervalSeconds: 1,
    start(model, actions) {
      const horizon = actions.reduce((end, action) => Math.max(end, action.arrivalSeconds + action.durationSeconds), 0) + 2;
      const delta = new Float64Array(horizon + 1);
      for (const action of actions) {
        delta[action.arrivalSeconds]! += action.units * unitsPerAction;
        delta[action.arrivalSeconds + action.durationSeconds]! -= action.units * unitsPerAction;
      }
      const need = new Float64Array(horizon + 1);
      for (let t = 0, level = 0; t <= horizon; t += 1) need[t] = level += delta[t]!;
      // Sliding maximum over [t, t + boot] (a monotonic deque).
      needAhead = new Float64Array(horizon + 1);
      const deque: number[] = [];
      for (let t = horizon; t >= 0; t -= 1) {
        while (deque.length > 0 && need[deque.at(-1)!]! <= need[t]!) deque.pop();
        deque.push(t);
        while (deque[0]! > t + model.bootSeconds) deque.shift();
        needAhead[t] = need[deque[0]!]!;
      }
    },
    // Actions that were delayed anyway (arrived before any instance could boot, or requeued by spot) are covered too.
    decide: (observation) => Math.ceil(Math.max(needAhead[observation.nowSeconds] ?? 0, observation.liveDemandActions * unitsPerAction)),
  };
}
