// The held-out evaluation (src/simulator/evaluation-traces.ts: shapes and seeds never used while tuning) on the first
// three days of each family, the bench's seeds: the targets where the policy meets them, and where it misses
// one, the miss the README reports, with the bounds that explain it. `npm run bench` prints all 35 days.
import { describe, expect, it } from "vitest";
import { evaluateDay, type DayEvaluation } from "../src/simulator/evaluate.js";
import { evaluationFamilies, evaluationTrace, type EvaluationFamily } from "../src/simulator/evaluation-traces.js";
import { defaultFleetModel, withWarmPool } from "../src/simulator/fleet-model.js";
import { defaultWarmPool } from "../src/simulator/warm-pool.js";

const testDays = [0, 1, 2];
const warmModel = withWarmPool(defaultFleetModel, { ...defaultWarmPool, maxPreparedInstances: 32 });
const limit = defaultFleetModel.bootSeconds + 60;

const days = new Map<EvaluationFamily, { cold: DayEvaluation; warm: DayEvaluation }[]>(
  evaluationFamilies.map((family) => [
    family,
    testDays.map((day) => {
      const trace = evaluationTrace(family, day);
      const cold = evaluateDay(trace, { baseModel: defaultFleetModel });
      return { cold, warm: evaluateDay(trace, { baseModel: defaultFleetModel, model: warmModel, oracleResult: cold.oracle }) };
    }),
  ]),
);
const measured = ({ trace, verdict, policy, targetTracking, reactiveBound, feedBound }: DayEvaluation) =>
  `${trace}: ${verdict.hoursVersusOracle.toFixed(2)}× oracle (reactive bound ${verdict.boundHoursVersusOracle.toFixed(2)}×, feed bound ` +
  `${verdict.feedBoundHoursVersusOracle.toFixed(2)}×), p95 ${policy.queueWaitSeconds.p95} s (bounds ${reactiveBound.queueWaitSeconds.p95} s, ` +
  `${feedBound.queueWaitSeconds.p95} s); target tracking ${targetTracking.workerHours.toFixed(1)} h vs ${policy.workerHours.toFixed(1)} h, ` +
  `p95 ${targetTracking.queueWaitSeconds.p95} s`;

describe("held-out days without a warm pool", () => {
  it.each(["nightly", "merge-queue"] as const)("%s meets every target", (family) => {
    for (const { cold } of days.get(family) ?? [])
      expect(cold.verdict, measured(cold)).toMatchObject({ withinHours: true, withinWait: true, beatsTargetTracking: true });
  });

  it("pr-bursts: waits within the limit and beats target tracking; hours miss 1.15×, as even the bounds nearly do", () => {
    for (const { cold } of days.get("pr-bursts") ?? []) {
      expect(cold.verdict, measured(cold)).toMatchObject({ withinWait: true, beatsTargetTracking: true });
      // A build is over before a boot ends: the reactive bound pays a boot per build (1.14–1.17×); the feed bound
      // adds the export's staleness. The policy's own gap is the idle tail its scale-in evidence needs (README).
      expect(cold.verdict.boundHoursVersusOracle, measured(cold)).toBeGreaterThan(1.1);
      expect(cold.verdict.hoursVersusOracle, measured(cold)).toBeLessThan(1.8);
    }
  });

  it("workday-mix: waits within the limit, beats target tracking, hours within 1.15× or at most 1.25×", () => {
    for (const { cold } of days.get("workday-mix") ?? []) {
      expect(cold.verdict, measured(cold)).toMatchObject({ withinWait: true, beatsTargetTracking: true });
      expect(cold.verdict.hoursVersusOracle, measured(cold)).toBeLessThanOrEqual(1.25);
    }
  });

  it("long-tests: hours within 1.15×; a p95 over the limit only where spot interruptions push the reactive bound's over it too", () => {
    for (const { cold } of days.get("long-tests") ?? []) {
      expect(cold.verdict.withinHours, measured(cold)).toBe(true);
      // A requeued 10–40 minute test counts its lost run as waiting: no reactive policy avoids that.
      if (!cold.verdict.withinWait) expect(cold.reactiveBound.queueWaitSeconds.p95, measured(cold)).toBeGreaterThan(limit);
    }
  });
});

describe("held-out days with a warm pool (32 instances prepared, 45 s resume, on-demand)", () => {
  it("keeps every p95 wait within the limit, and well under the cold fleet's on the bursty shapes", () => {
    for (const family of evaluationFamilies) {
      for (const { cold, warm } of days.get(family) ?? []) {
        expect(warm.verdict.withinWait, measured(warm)).toBe(true);
        if (family === "pr-bursts" || family === "workday-mix")
          expect(warm.policy.queueWaitSeconds.p95, measured(warm)).toBeLessThan(0.6 * cold.policy.queueWaitSeconds.p95);
      }
    }
  });

  it("cuts pr-bursts' hours (stopped volumes included) but not below the bound, and costs the nightly build hours", () => {
    for (const { cold, warm } of days.get("pr-bursts") ?? []) {
      expect(warm.verdict.hoursVersusOracle, measured(warm)).toBeLessThan(cold.verdict.hoursVersusOracle - 0.2);
      expect(warm.verdict.hoursVersusOracle, measured(warm)).toBeGreaterThan(1.15);
    }
    // One build a night: the pool's refill launches and stopped volumes outweigh the shorter waits.
    for (const { cold, warm } of days.get("nightly") ?? [])
      expect(warm.verdict.hoursVersusOracle, measured(warm)).toBeGreaterThan(cold.verdict.hoursVersusOracle);
  });
});
