import type { Controller, FeedSample, FleetModel } from "./fleet-model.js";
import { exponential, seededRandom } from "./random.js";
import type { Trace } from "./trace.js";

/** What one policy did with one trace. */
export interface SimulationResult {
  readonly controller: string;
  readonly trace: string;
  /** Capacity units (vCPUs) × hours paid for, boot and drain included. */
  readonly workerHours: number;
  readonly instanceLaunches: number;
  readonly interruptions: number;
  /** Seconds from arrival to the start of the run that completed (an interrupted action keeps waiting). */
  readonly queueWaitSeconds: { readonly p50: number; readonly p95: number; readonly max: number };
  /**
   * Seconds from the traced arrival to the start of the run that completed: the queue wait plus what the action's lane
   * lost waiting before it (a build that met a cold fleet starts every later action that much later). Equal to the
   * queue wait for independent arrivals and with `clients: "replay-as-traced"`.
   */
  readonly startDelaySeconds: { readonly p50: number; readonly p95: number; readonly max: number };
  /** When the last action finished. */
  readonly finishedAtSeconds: number;
}

type InstanceState = "booting" | "ready" | "draining" | "interrupted" | "gone";
interface Instance {
  readonly id: number;
  readonly launchedAt: number;
  state: InstanceState;
  readyAt: number;
  /** When draining started (scale-in) or when spot reclaims it (interrupted). */
  deadline: number;
  stoppedAt: number;
  readonly running: Set<number>;
}

/**
 * Replays `trace` second by second through a fleet: actions arrive at their traced second (a client lane's next one
 * only once the previous finished, with `model.clients` "wait-for-results"); the scheduler queues them and hands them to free slots of
 * registered workers (the emptiest first, as least-recently-used tends to); the metrics feed exports every
 * `feedIntervalSeconds`; the controller sets the desired capacity; the Auto Scaling group launches (ready after
 * `bootSeconds`) or terminates a random instance, which drains (finishes its actions, takes no new ones) under the
 * lifecycle hook; spot interruptions reclaim a random instance after a two-minute notice, requeueing what it ran.
 */
export function simulate(trace: Trace, model: FleetModel, controller: Controller): SimulationResult {
  const actions = trace.actions;
  controller.start?.(model, actions);
  const lanes = laneReplay(trace, model.clients);
  const arrivedAt = new Float64Array(actions.length);
  const startedAt = new Float64Array(actions.length);
  const run = new Int32Array(actions.length);
  const waits: number[] = [];
  const delays: number[] = [];
  const completions = new Map<number, [action: number, run: number, instance: Instance][]>();
  const retries: number[] = [];
  /** Arrived actions in order; `queueHead` is the oldest not yet started. */
  const queue: number[] = [];
  /** Lane successors held back until their predecessor finished, by the second they arrive. */
  const heldArrivals = new Map<number, number[]>();
  let nextTraced = 0;
  const instances: Instance[] = [];
  const terminationChoice = seededRandom(model.seed);
  const interruptionClock = seededRandom(model.seed + 1);
  const nextInterruptionAfter = () =>
    model.meanSecondsBetweenInterruptions > 0 ? Math.ceil(exponential(interruptionClock, model.meanSecondsBetweenInterruptions)) : Infinity;
  let nextInterruption = nextInterruptionAfter();
  let interruptions = 0;
  let queueHead = 0;
  let done = 0;
  let desired = Math.max(model.minCapacity, 0);
  let feed: FeedSample | undefined;
  let t = 0;

  const stop = (instance: Instance) => {
    for (const action of instance.running) {
      run[action]! += 1;
      retries.push(action);
    }
    instance.running.clear();
    instance.state = "gone";
    instance.stoppedAt = t;
  };
  const counted = (instance: Instance) => instance.state === "booting" || instance.state === "ready";

  const giveUpAt = trace.durationSeconds + 90 * 86_400;
  for (; done < actions.length || t < trace.durationSeconds; t += 1) {
    if (t > giveUpAt)
      throw new Error(`${controller.name} left ${actions.length - done} actions of ${trace.name} unfinished 90 days after its end (no capacity?)`);
    for (const instance of instances) {
      if (instance.state === "booting" && t >= instance.readyAt) instance.state = "ready";
      else if (instance.state === "interrupted" && t >= instance.deadline) stop(instance);
      else if (instance.state === "draining" && t >= instance.deadline + model.drainTimeoutSeconds) stop(instance);
    }
    for (const [action, runNumber, instance] of completions.get(t) ?? []) {
      if (run[action] !== runNumber) continue;
      instance.running.delete(action);
      waits.push(startedAt[action]! - arrivedAt[action]!);
      delays.push(startedAt[action]! - actions[action]!.arrivalSeconds);
      done += 1;
      const successor = lanes.next[action]!;
      if (successor >= 0) {
        addAt(heldArrivals, t + lanes.thinkSeconds[action]!, successor);
      }
      if (instance.state === "draining" && instance.running.size === 0) stop(instance);
    }
    completions.delete(t);
    if (t >= nextInterruption) {
      const candidates = instances.filter(counted);
      const victim = candidates[Math.floor(interruptionClock() * candidates.length)];
      if (victim) {
        victim.state = "interrupted";
        victim.deadline = t + model.interruptionNoticeSeconds;
        interruptions += 1;
      }
      nextInterruption = t + nextInterruptionAfter();
    }
    for (; nextTraced < actions.length && actions[nextTraced]!.arrivalSeconds <= t; nextTraced += 1) {
      if (lanes.held[nextTraced]) continue;
      arrivedAt[nextTraced] = t;
      queue.push(nextTraced);
    }
    for (const action of heldArrivals.get(t) ?? []) {
      arrivedAt[action] = t;
      queue.push(action);
    }
    heldArrivals.delete(t);

    // The scheduler: retried actions first, then arrivals in order, each to the registered worker with most free slots.
    const ready = instances.filter((instance) => instance.state === "ready");
    while (retries.length > 0 || queueHead < queue.length) {
      let best: Instance | undefined;
      for (const instance of ready) if (instance.running.size < model.slotsPerInstance && (!best || instance.running.size < best.running.size)) best = instance;
      if (!best) break;
      const action = retries.length > 0 ? retries.shift()! : queue[queueHead++]!;
      best.running.add(action);
      startedAt[action] = t;
      addAt(completions, t + actions[action]!.durationSeconds, [action, run[action]!, best]);
    }

    if ((t - model.feedPhaseSeconds) % model.feedIntervalSeconds === 0) {
      const executing = instances.reduce((sum, instance) => sum + instance.running.size, 0);
      const connected = instances.filter((instance) => instance.state !== "booting" && instance.state !== "gone").length;
      feed = {
        atSeconds: t,
        queuedActions: retries.length + queue.length - queueHead,
        executingActions: executing,
        connectedWorkers: connected,
        completedActions: done,
      };
    }
    if (t % controller.intervalSeconds === 0) {
      const liveDemandActions = retries.length + queue.length - queueHead + instances.reduce((sum, instance) => sum + instance.running.size, 0);
      const wanted = controller.decide({
        nowSeconds: t,
        feed,
        desiredCapacity: desired,
        minCapacity: model.minCapacity,
        maxCapacity: model.maxCapacity,
        liveDemandActions,
      });
      desired = Math.min(model.maxCapacity, Math.max(model.minCapacity, Math.round(wanted)));
    }

    // The Auto Scaling group: launch while below desired, terminate a random instance while one can go.
    let capacity = instances.filter(counted).length * model.instanceUnits;
    while (capacity < desired) {
      instances.push({ id: instances.length, launchedAt: t, state: "booting", readyAt: t + model.bootSeconds, deadline: 0, stoppedAt: -1, running: new Set() });
      capacity += model.instanceUnits;
    }
    while (capacity - model.instanceUnits >= desired) {
      const candidates = instances.filter(counted);
      const leaving = candidates[Math.floor(terminationChoice() * candidates.length)]!;
      if (leaving.running.size === 0) stop(leaving);
      else {
        leaving.state = "draining";
        leaving.deadline = t;
      }
      capacity -= model.instanceUnits;
    }
  }

  const end = t;
  const paidSeconds = instances.reduce((sum, instance) => sum + ((instance.state === "gone" ? instance.stoppedAt : end) - instance.launchedAt), 0);
  return {
    controller: controller.name,
    trace: trace.name,
    workerHours: (paidSeconds * model.instanceUnits) / 3600,
    instanceLaunches: instances.length,
    interruptions,
    queueWaitSeconds: summarizeWaits(waits),
    startDelaySeconds: summarizeWaits(delays),
    finishedAtSeconds: end,
  };
}

/**
 * How the trace's client lanes replay. `wait-for-results`: a lane's next action arrives its traced think time after
 * the previous one finished, so a lane whose action waited is held back (Bazel's `--jobs`: a queued remote action
 * holds its job); `replay-as-traced`: every action arrives at its traced second, however long earlier ones waited.
 */
function laneReplay(trace: Trace, clients: FleetModel["clients"]) {
  const count = trace.actions.length;
  const next = new Int32Array(count).fill(-1);
  const thinkSeconds = new Float64Array(count);
  const held = new Uint8Array(count);
  if (clients === "wait-for-results") {
    const last = new Map<number, number>();
    trace.actions.forEach((action, index) => {
      if (action.lane === undefined) return;
      const previous = last.get(action.lane);
      if (previous !== undefined) {
        const before = trace.actions[previous]!;
        const think = action.arrivalSeconds - before.arrivalSeconds - before.durationSeconds;
        if (think < 0)
          throw new Error(
            `${trace.name}: action ${index} of lane ${action.lane} arrives at ${action.arrivalSeconds} s, ` +
              `before action ${previous} of its lane ends (${before.arrivalSeconds + before.durationSeconds} s): a lane runs one action at a time`,
          );
        next[previous] = index;
        thinkSeconds[previous] = think;
        held[index] = 1;
      }
      last.set(action.lane, index);
    });
  }
  return { next, thinkSeconds, held };
}

/** Adds `item` to what is due at second `at`. */
function addAt<T>(schedule: Map<number, T[]>, at: number, item: T): void {
  const due = schedule.get(at);
  if (due) due.push(item);
  else schedule.set(at, [item]);
}

function summarizeWaits(waits: number[]): SimulationResult["queueWaitSeconds"] {
  const sorted = [...waits].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return { p50: rank(50), p95: rank(95), max: sorted.at(-1) ?? 0 };
}
