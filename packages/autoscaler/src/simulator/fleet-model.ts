import { SCHEDULER_METRIC_EXPORT_INTERVAL_SECONDS } from "@nativelink-aws/conventions";
import { defaultWarmPool, type WarmPoolModel } from "./warm-pool.js";

/** The physical model of one worker fleet, shared by the simulation and its controllers. */
export interface FleetModel {
  /** Launch to a worker registered with the scheduler: EC2 start, boot, disk setup, NativeLink start. */
  readonly bootSeconds: number;
  /** Capacity units (vCPUs, the group weight) of one instance. */
  readonly instanceUnits: number;
  /** Actions one instance runs at once. */
  readonly slotsPerInstance: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** NativeLink pushes OTLP every OTEL_METRIC_EXPORT_INTERVAL (default 60 s); the feed is that old at worst. */
  readonly feedIntervalSeconds: number;
  /** When in the interval the first export happens. */
  readonly feedPhaseSeconds: number;
  /** The lifecycle hook's heartbeat timeout: a draining worker is killed after this (its actions requeued). */
  readonly drainTimeoutSeconds: number;
  /** Mean time between spot interruptions across the fleet (0: none). */
  readonly meanSecondsBetweenInterruptions: number;
  /** Spot's notice before the instance is reclaimed. */
  readonly interruptionNoticeSeconds: number;
  readonly seed: number;
  /**
   * How the trace's client lanes (a build's `--jobs`) replay: `wait-for-results` holds a lane's next action until the
   * previous one finished (plus the traced think time), as Bazel does, since a remote action waiting in the
   * scheduler's queue holds its job; `replay-as-traced` submits every action at its traced second regardless.
   */
  readonly clients: "wait-for-results" | "replay-as-traced";
  /** An EC2 Auto Scaling warm pool of stopped, initialized workers (see `withWarmPool`); absent: every launch is cold. */
  readonly warmPool?: WarmPoolModel;
}

/** The fleet with a warm pool: on-demand instances of one type, as warm pools require, so no spot interruptions. */
export function withWarmPool(model: FleetModel, pool: WarmPoolModel = defaultWarmPool): FleetModel {
  return { ...model, warmPool: pool, meanSecondsBetweenInterruptions: 0 };
}

/** A 2-vCPU x86_64 `.large` worker fleet of @nativelink-aws/constructs' defaults: max 200 vCPUs. */
export const defaultFleetModel: FleetModel = {
  bootSeconds: 120,
  instanceUnits: 2,
  slotsPerInstance: 2,
  minCapacity: 0,
  maxCapacity: 200,
  feedIntervalSeconds: 60,
  feedPhaseSeconds: 0,
  drainTimeoutSeconds: 3600,
  meanSecondsBetweenInterruptions: 3600,
  interruptionNoticeSeconds: 120,
  seed: 7,
  clients: "wait-for-results",
};

/**
 * The scheduler image's export interval (conventions' `SCHEDULER_METRIC_EXPORT_INTERVAL_SECONDS`, which its bootstrap
 * writes into the scheduler's environment). NativeLink's own default, without it, is `defaultFleetModel`'s 60 s.
 */
export const imageExportIntervalSeconds = SCHEDULER_METRIC_EXPORT_INTERVAL_SECONDS;

/** The default fleet as the reference deployment ships it: its scheduler exporting every 15 s. */
export const shippedFleetModel: FleetModel = { ...defaultFleetModel, feedIntervalSeconds: imageExportIntervalSeconds };

/** What the scheduler's metrics feed says, as of its last export. */
export interface FeedSample {
  readonly atSeconds: number;
  readonly queuedActions: number;
  readonly executingActions: number;
  readonly connectedWorkers: number;
  /**
   * Actions completed since the scheduler started: NativeLink's `completed` stage of `execution.active.count`, which
   * only grows (a run cut short by a spot interruption is requeued, not completed).
   */
  readonly completedActions: number;
}

/** What a controller sees when it runs. */
export interface ControllerObservation {
  readonly nowSeconds: number;
  /** The last export; undefined before the first. */
  readonly feed: FeedSample | undefined;
  readonly desiredCapacity: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** The scheduler's queued + executing actions at this very second: only the oracle may read it. */
  readonly liveDemandActions: number;
}

/** A scaling policy under test: it runs every `intervalSeconds` and returns the desired capacity. */
export interface Controller {
  readonly name: string;
  readonly intervalSeconds: number;
  /** Called once before the run with the fleet and the trace (only the oracle may look at the trace). */
  start?(model: FleetModel, units: readonly { arrivalSeconds: number; durationSeconds: number; units: number }[]): void;
  decide(observation: ControllerObservation): number;
}
