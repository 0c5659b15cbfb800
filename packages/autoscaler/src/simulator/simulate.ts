import { AutoScalingGroup, type Instance } from "./auto-scaling-group.js";
import type { Controller, FeedSample, FleetModel } from "./fleet-model.js";
import { exponential, seededRandom } from "./random.js";
import type { Trace } from "./trace.js";
import { stoppedHourInVcpuHours } from "./warm-pool.js";

/** What one policy did with one trace. */
export interface SimulationResult {
  readonly controller: string;
  readonly trace: string;
  /** Capacity units (vCPUs) × hours paid for running, boot and drain included (and warm-pool instances initializing). */
  readonly workerHours: number;
  /**
   * The warm pool's stopped instances' volumes, in vCPU-hours at the worker's on-demand price (0 without a pool):
   * add it to `workerHours` for what the fleet costs.
   */
  readonly stoppedVolumeHours: number;
  /** Instances launched: cold for a scale-out, or into the warm pool. */
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

/** The scheduler's side of a replay: the actions, their queue and their runs. */
class Scheduler {
  readonly arrivedAt: Float64Array;
  readonly startedAt: Float64Array;
  /** The run number of each action: a requeued action's earlier run no longer completes. */
  readonly run: Int32Array;
  readonly waits: number[] = [];
  readonly delays: number[] = [];
  readonly completions = new Map<number, [action: number, run: number, instance: Instance][]>();
  readonly retries: number[] = [];
  /** Arrived actions in order; `queueHead` is the oldest not yet started. */
  readonly queue: number[] = [];
  queueHead = 0;
  /** Lane successors held back until their predecessor finished, by the second they arrive. */
  readonly heldArrivals = new Map<number, number[]>();
  nextTraced = 0;
  done = 0;
  readonly lanes: ReturnType<typeof laneReplay>;

  constructor(
    readonly trace: Trace,
    clients: FleetModel["clients"],
  ) {
    const count = trace.actions.length;
    this.arrivedAt = new Float64Array(count);
    this.startedAt = new Float64Array(count);
    this.run = new Int32Array(count);
    this.lanes = laneReplay(trace, clients);
  }

  readonly requeue = (actions: Iterable<number>) => {
    for (const action of actions) {
      this.run[action]! += 1;
      this.retries.push(action);
    }
  };

  queued(): number {
    return this.retries.length + this.queue.length - this.queueHead;
  }

  /** The runs that end at `t` complete; a lane's next action is due its think time later. */
  complete(t: number, group: AutoScalingGroup): void {
    for (const [action, runNumber, instance] of this.completions.get(t) ?? []) {
      if (this.run[action] !== runNumber) continue;
      instance.running.delete(action);
      this.waits.push(this.startedAt[action]! - this.arrivedAt[action]!);
      this.delays.push(this.startedAt[action]! - this.trace.actions[action]!.arrivalSeconds);
      this.done += 1;
      const successor = this.lanes.next[action]!;
      if (successor >= 0) addAt(this.heldArrivals, t + this.lanes.thinkSeconds[action]!, successor);
      group.finishedAction(instance, t, this.requeue);
    }
    this.completions.delete(t);
  }

  /** Traced arrivals (those not held by their lane) and lane successors due now join the queue. */
  arrive(t: number): void {
    const { actions } = this.trace;
    for (; this.nextTraced < actions.length && actions[this.nextTraced]!.arrivalSeconds <= t; this.nextTraced += 1) {
      if (this.lanes.held[this.nextTraced]) continue;
      this.arrivedAt[this.nextTraced] = t;
      this.queue.push(this.nextTraced);
    }
    for (const action of this.heldArrivals.get(t) ?? []) {
      this.arrivedAt[action] = t;
      this.queue.push(action);
    }
    this.heldArrivals.delete(t);
  }

  /** Retried actions first, then arrivals in order, each to the registered worker with most free slots. */
  dispatch(t: number, ready: readonly Instance[], slotsPerInstance: number): void {
    while (this.retries.length > 0 || this.queueHead < this.queue.length) {
      let best: Instance | undefined;
      for (const instance of ready) if (instance.running.size < slotsPerInstance && (!best || instance.running.size < best.running.size)) best = instance;
      if (!best) break;
      const action = this.retries.shift() ?? this.queue[this.queueHead++]!;
      best.running.add(action);
      this.startedAt[action] = t;
      addAt(this.completions, t + this.trace.actions[action]!.durationSeconds, [action, this.run[action]!, best]);
    }
  }
}

/**
 * Replays `trace` second by second through a fleet: actions arrive at their traced second (a client lane's next one
 * only once the previous finished, with `model.clients` "wait-for-results"); the scheduler queues them and hands them
 * to free slots of registered workers (the emptiest first, as least-recently-used tends to); the metrics feed exports
 * every `feedIntervalSeconds`; the controller sets the desired capacity; the Auto Scaling group launches (from its
 * warm pool first, if it has one) or drains a random instance; spot interruptions reclaim a random instance after a
 * two-minute notice, requeueing what it ran.
 */
export function simulate(trace: Trace, model: FleetModel, controller: Controller): SimulationResult {
  const { actions } = trace;
  controller.start?.(model, actions);
  const scheduler = new Scheduler(trace, model.clients);
  const group = new AutoScalingGroup(model, seededRandom(model.seed));
  const interruptions = spotInterruptions(model);
  let desired = Math.max(model.minCapacity, 0);
  let feed: FeedSample | undefined;
  const giveUpAt = trace.durationSeconds + 90 * 86_400;
  let t = 0;
  for (; scheduler.done < actions.length || t < trace.durationSeconds; t += 1) {
    if (t > giveUpAt)
      throw new Error(`${controller.name} left ${actions.length - scheduler.done} actions of ${trace.name} unfinished 90 days after its end (no capacity?)`);
    group.advance(t, scheduler.requeue);
    scheduler.complete(t, group);
    interruptions.strike(t, group);
    scheduler.arrive(t);
    scheduler.dispatch(t, group.ready(), model.slotsPerInstance);
    if ((t - model.feedPhaseSeconds) % model.feedIntervalSeconds === 0) feed = exportFeed(t, scheduler, group);
    if (t % controller.intervalSeconds === 0) desired = decide(controller, model, t, feed, desired, scheduler.queued() + group.executing());
    group.scaleTo(desired, t, scheduler.requeue);
  }
  return summarize(trace, model, controller, scheduler, group, interruptions.count, t);
}

/** Spot interruptions as a Poisson process across the fleet (none when the mean is 0). */
function spotInterruptions(model: FleetModel) {
  const clock = seededRandom(model.seed + 1);
  const nextAfter = () => (model.meanSecondsBetweenInterruptions > 0 ? Math.ceil(exponential(clock, model.meanSecondsBetweenInterruptions)) : Infinity);
  let next = nextAfter();
  return {
    count: 0,
    strike(t: number, group: AutoScalingGroup) {
      if (t < next) return;
      if (group.interrupt(t, clock)) this.count += 1;
      next = t + nextAfter();
    },
  };
}

function exportFeed(t: number, scheduler: Scheduler, group: AutoScalingGroup): FeedSample {
  return {
    atSeconds: t,
    queuedActions: scheduler.queued(),
    executingActions: group.executing(),
    connectedWorkers: group.connected(),
    completedActions: scheduler.done,
  };
}

function decide(controller: Controller, model: FleetModel, t: number, feed: FeedSample | undefined, desired: number, liveDemandActions: number): number {
  const { minCapacity, maxCapacity } = model;
  const wanted = controller.decide({ nowSeconds: t, feed, desiredCapacity: desired, minCapacity, maxCapacity, liveDemandActions });
  return Math.min(maxCapacity, Math.max(minCapacity, Math.round(wanted)));
}

function summarize(
  trace: Trace,
  model: FleetModel,
  controller: Controller,
  scheduler: Scheduler,
  group: AutoScalingGroup,
  interruptions: number,
  end: number,
): SimulationResult {
  const { runningSeconds, stoppedSeconds } = group.bill(end);
  const stoppedVolumeHours = model.warmPool ? (stoppedSeconds / 3600) * stoppedHourInVcpuHours(model.warmPool, model.instanceUnits) : 0;
  return {
    controller: controller.name,
    trace: trace.name,
    workerHours: (runningSeconds * model.instanceUnits) / 3600,
    stoppedVolumeHours,
    instanceLaunches: group.launches,
    interruptions,
    queueWaitSeconds: summarizeWaits(scheduler.waits),
    startDelaySeconds: summarizeWaits(scheduler.delays),
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
