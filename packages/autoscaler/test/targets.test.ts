import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { comparePolicies, type PolicyComparison } from "../src/simulator/compare.js";
import { defaultFleetModel } from "../src/simulator/fleet-model.js";
import { parseTrace } from "../src/simulator/trace.js";

// The targets on the committed traces, with the scheduler exporting every 60 s (NativeLink's default) and
// every 15 s (the scheduler image's setting): this policy within 1.15× the oracle's worker-hours, p95 queue wait
// ≤ boot + 60 s, and better than target tracking on both. The benchmark prints the same verdicts with the tables.
describe.each(["ci-workday", "steady", "spike"])("the %s trace", (name) => {
  const trace = parseTrace(readFileSync(new URL(`../bench/traces/${name}.csv`, import.meta.url), "utf8"));
  // Each export interval is simulated once, for both tests that read it.
  const comparisons = new Map<number, PolicyComparison>();
  const compared = (feedIntervalSeconds: number) => {
    if (!comparisons.has(feedIntervalSeconds))
      comparisons.set(feedIntervalSeconds, comparePolicies(trace, { model: { ...defaultFleetModel, feedIntervalSeconds } }));
    return comparisons.get(feedIntervalSeconds)!;
  };

  it.each([60, 15])("meets every target with a %i s export", (feedIntervalSeconds) => {
    const { verdict, policy, targetTracking } = compared(feedIntervalSeconds);
    const measured =
      `${verdict.hoursVersusOracle.toFixed(3)}× oracle, p95 ${policy.queueWaitSeconds.p95} s; ` +
      `target tracking ${targetTracking.workerHours.toFixed(1)} h vs ${policy.workerHours.toFixed(1)} h, p95 ${targetTracking.queueWaitSeconds.p95} s`;
    expect(verdict, measured).toMatchObject({ withinHours: true, withinWait: true, beatsTargetTracking: true });
  });

  // The build's view (queue wait plus what the lane lost before): within the same limits at the 15 s export the
  // scheduler image ships (not at NativeLink's default 60 s on ci-workday: 227 s, see the README).
  it("keeps the start delay within the limits with the image's 15 s export", () => {
    const { verdict, policy, targetTracking } = compared(15);
    const measured = `start delay p95 ${policy.startDelaySeconds.p95} s; target tracking ${targetTracking.startDelaySeconds.p95} s`;
    expect(verdict, measured).toMatchObject({ withinStartDelay: true, beatsTargetTrackingOnStartDelay: true });
  });
});
