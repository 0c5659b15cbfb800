import type { TraceAction } from "./trace.js";

/** Numbers the client lanes of the builds of one trace. */
export class Lanes {
  private next = 1;
  open(count: number): number {
    const first = this.next;
    this.next += count;
    return first;
  }
}

/**
 * A Bazel build as the scheduler sees it: `count` actions submitted by a client that keeps at most `jobs` in flight
 * (`--jobs`; a remote action waiting in the scheduler's queue holds its job), each submitted a second after an
 * earlier one finishes, the lanes opening over the first `fanOutSeconds` while the action graph fans out. Times are
 * as if none waited; each action carries its lane (numbered from `firstLane`), so a replay can hold the lane's next
 * action back when one waits.
 */
export function bazelBuild(
  random: () => number,
  firstLane: number,
  start: number,
  count: number,
  jobs: number,
  duration: () => number,
  fanOutSeconds: number,
): TraceAction[] {
  const laneFreeAt = Array.from({ length: jobs }, () => start + fanOutSeconds * random());
  const actions: TraceAction[] = [];
  for (let i = 0; i < count; i += 1) {
    const lane = laneFreeAt.indexOf(Math.min(...laneFreeAt));
    const action = { arrivalSeconds: Math.round(laneFreeAt[lane]!), durationSeconds: duration(), units: 1, lane: firstLane + lane };
    actions.push(action);
    laneFreeAt[lane] = action.arrivalSeconds + action.durationSeconds + 1;
  }
  return actions;
}
