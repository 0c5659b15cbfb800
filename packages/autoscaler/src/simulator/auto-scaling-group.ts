import { DEFAULT_WARM_POOL_REUSE_ON_SCALE_IN } from "@nativelink-aws/conventions";
import type { FleetModel } from "./fleet-model.js";
import { warmPoolTarget } from "./warm-pool.js";

/**
 * `warming`: launched into the warm pool, booting and initializing (paid as running) before it stops; `stopped`: in
 * the pool (its volume paid); `resuming`: drawn from the pool for a scale-out; `interrupted`: spot reclaims it at
 * `deadline`; `draining`: scaled in, finishing its actions (then terminated, or stopped into the pool if `returnsToPool`).
 */
type InstanceState = "warming" | "stopped" | "resuming" | "booting" | "ready" | "draining" | "interrupted" | "gone";

export interface Instance {
  state: InstanceState;
  readyAt: number;
  /** When draining started (scale-in) or when spot reclaims it (interrupted). */
  deadline: number;
  /** Since when it is paid as running (launch or resume), or since when it is stopped. */
  since: number;
  /**
   * Scaled in with ReuseOnScaleIn into a pool that had room: it drains in Warmed:Pending:Wait (counted in the pool,
   * so no refill launches for it), then stops into the pool instead of terminating.
   */
  returnsToPool?: boolean;
  readonly running: Set<number>;
}

/** Actions a stopped instance was running: the scheduler requeues them. */
export type Requeue = (actions: Iterable<number>) => void;

/**
 * The Auto Scaling group: launches while below the desired capacity (from the warm pool first), terminates a random
 * instance while one can go (it drains: finishes its actions, takes no new ones, under the lifecycle hook), keeps
 * the warm pool at its size, and counts what is paid: running seconds and stopped seconds.
 */
export class AutoScalingGroup {
  /** Instances not gone. */
  private instances: Instance[] = [];
  launches = 0;
  private runningSeconds = 0;
  private stoppedSeconds = 0;

  constructor(
    private readonly model: FleetModel,
    private readonly terminationChoice: () => number,
  ) {}

  /** Running or on their way to running: what the desired capacity counts. */
  inService(): Instance[] {
    return this.instances.filter((instance) => instance.state === "booting" || instance.state === "resuming" || instance.state === "ready");
  }

  ready(): Instance[] {
    return this.instances.filter((instance) => instance.state === "ready");
  }

  /** Actions running on any instance. */
  executing(): number {
    return this.instances.reduce((sum, instance) => sum + instance.running.size, 0);
  }

  /** Workers the scheduler knows: registered and not gone (draining and interrupted ones included). */
  connected(): number {
    return this.instances.filter((instance) => instance.state === "ready" || instance.state === "draining" || instance.state === "interrupted").length;
  }

  /** Boots end, interruptions and drain timeouts strike. */
  advance(t: number, requeue: Requeue): void {
    for (const instance of this.instances) {
      if ((instance.state === "booting" || instance.state === "resuming") && t >= instance.readyAt) instance.state = "ready";
      else if (instance.state === "warming" && t >= instance.readyAt) this.stopIntoPool(instance, t);
      else if (instance.state === "interrupted" && t >= instance.deadline) this.terminate(instance, t, requeue);
      else if (instance.state === "draining" && t >= instance.deadline + this.model.drainTimeoutSeconds) this.leave(instance, t, requeue);
    }
    this.prune();
  }

  /** Spot reclaims a random in-service instance after its notice; false when none runs. */
  interrupt(t: number, random: () => number): boolean {
    const candidates = this.inService();
    const victim = candidates[Math.floor(random() * candidates.length)];
    if (!victim) return false;
    victim.state = "interrupted";
    victim.deadline = t + this.model.interruptionNoticeSeconds;
    return true;
  }

  /** A draining instance that finished its last action leaves: terminated, or stopped into the pool (ReuseOnScaleIn). */
  finishedAction(instance: Instance, t: number, requeue: Requeue): void {
    if (instance.state !== "draining" || instance.running.size > 0) return;
    this.leave(instance, t, requeue);
    this.prune();
  }

  /** Launches (from the pool first) or drains instances to the desired capacity, then keeps the pool at its size. */
  scaleTo(desired: number, t: number, requeue: Requeue): void {
    const { instanceUnits } = this.model;
    let capacity = this.inService().length * instanceUnits;
    for (; capacity < desired; capacity += instanceUnits) this.launch(t);
    for (; capacity - instanceUnits >= desired; capacity -= instanceUnits) {
      const candidates = this.inService();
      const leaving = candidates[Math.floor(this.terminationChoice() * candidates.length)];
      if (!leaving) break;
      leaving.state = "draining";
      leaving.deadline = t;
      // With ReuseOnScaleIn it returns to the pool when the pool's size rule has room for it; AWS terminates the surplus.
      leaving.returnsToPool = (this.model.warmPool?.reuseOnScaleIn ?? DEFAULT_WARM_POOL_REUSE_ON_SCALE_IN) && this.poolSize() < this.poolTarget();
      this.finishedAction(leaving, t, requeue);
    }
    this.keepPool(t, requeue);
    this.prune();
  }

  /** Paid running seconds (× units: vCPU-seconds) and stopped instance-seconds, up to `end`. */
  bill(end: number): { runningSeconds: number; stoppedSeconds: number } {
    let { runningSeconds, stoppedSeconds } = this;
    for (const instance of this.instances) {
      if (instance.state === "stopped") stoppedSeconds += end - instance.since;
      else runningSeconds += end - instance.since;
    }
    return { runningSeconds, stoppedSeconds };
  }

  private launch(t: number): void {
    const stopped = this.instances.find((instance) => instance.state === "stopped");
    const pool = this.model.warmPool;
    if (stopped && pool) {
      this.stoppedSeconds += t - stopped.since;
      Object.assign(stopped, { state: "resuming", readyAt: t + pool.resumeSeconds, since: t });
      return;
    }
    this.launches += 1;
    this.instances.push({ state: "booting", readyAt: t + this.model.bootSeconds, deadline: 0, since: t, running: new Set() });
  }

  private keepPool(t: number, requeue: Requeue): void {
    if (!this.model.warmPool) return;
    const target = this.poolTarget();
    for (let size = this.poolSize(); size < target; size += 1) {
      this.launches += 1;
      this.instances.push({ state: "warming", readyAt: t + this.model.bootSeconds, deadline: 0, since: t, running: new Set() });
    }
    for (let size = this.poolSize(); size > target; size -= 1) {
      const spare = this.instances.find((instance) => instance.state === "stopped");
      if (spare) this.terminate(spare, t, requeue);
    }
  }

  /** Warmed: initializing, stopped, or draining on its way back (Warmed:Pending:Wait). */
  private poolSize(): number {
    return this.instances.filter(
      (instance) => instance.state === "warming" || instance.state === "stopped" || (instance.state === "draining" && instance.returnsToPool),
    ).length;
  }

  private poolTarget(): number {
    const pool = this.model.warmPool;
    if (!pool) return 0;
    return warmPoolTarget(pool, Math.ceil(this.model.minCapacity / this.model.instanceUnits), this.inService().length);
  }

  /** The drain is over (or timed out: its actions are requeued): back into the pool if it returns, else terminated. */
  private leave(instance: Instance, t: number, requeue: Requeue): void {
    if (!instance.returnsToPool) return this.terminate(instance, t, requeue);
    requeue(instance.running);
    instance.running.clear();
    instance.returnsToPool = false;
    this.stopIntoPool(instance, t);
  }

  private stopIntoPool(instance: Instance, t: number): void {
    this.runningSeconds += t - instance.since;
    Object.assign(instance, { state: "stopped", since: t });
  }

  private terminate(instance: Instance, t: number, requeue: Requeue): void {
    if (instance.state === "stopped") this.stoppedSeconds += t - instance.since;
    else this.runningSeconds += t - instance.since;
    requeue(instance.running);
    instance.running.clear();
    instance.state = "gone";
  }

  private prune(): void {
    if (this.instances.some((instance) => instance.state === "gone")) this.instances = this.instances.filter((instance) => instance.state !== "gone");
  }
}
