// The held-out evaluation: the policy on trace families and seeds never used while tuning it (src/simulator/
// evaluation-traces.ts), with and without a warm pool. Prints the README's tables; writes
// bench/results/autoscaler-evaluation.json at the repository root (git-ignored).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { it } from "vitest";
import { evaluateDay, type DayEvaluation } from "../src/simulator/evaluate.js";
import { evaluationFamilies, evaluationSeed, evaluationTrace, type EvaluationFamily } from "../src/simulator/evaluation-traces.js";
import { defaultFleetModel, withWarmPool, type FleetModel } from "../src/simulator/fleet-model.js";
import { defaultWarmPool } from "../src/simulator/warm-pool.js";

const resultsDir = fileURLToPath(new URL("../../../bench/results/", import.meta.url));
/** Days per family: 7 × 5 families = 35 held-out days. */
const daysPerFamily = 7;
/** A pool for one PR build's `--jobs 64`: 32 two-vCPU instances prepared (running + stopped). */
const warmPool = { ...defaultWarmPool, maxPreparedInstances: 32 };
const warmModel = withWarmPool(defaultFleetModel, warmPool);
/** The CLI's price table: m6id.large on-demand $/h, and spot as 0.35 of it (warm pools cannot use spot). */
const onDemandVcpuHour = warmPool.instanceDollarsPerHour / defaultFleetModel.instanceUnits;
const spotShare = 0.35;

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
};
const worst = (values: readonly number[]) => Math.max(...values);
const seconds = (value: number) => `${Math.round(value)} s`;

interface FamilyRun {
  readonly family: EvaluationFamily;
  readonly cold: DayEvaluation[];
  readonly warm: DayEvaluation[];
}

function row(family: string, days: readonly DayEvaluation[], dollars: (day: DayEvaluation) => number): string {
  const ratios = days.map((day) => day.verdict.hoursVersusOracle);
  const p95s = days.map((day) => day.policy.queueWaitSeconds.p95);
  const count = (test: (day: DayEvaluation) => boolean) => `${days.filter(test).length}/${days.length}`;
  const bound = days.map((day) => day.verdict.boundHoursVersusOracle);
  const boundWaits = days.map((day) => day.reactiveBound.queueWaitSeconds.p95);
  const feedBound = days.map((day) => day.verdict.feedBoundHoursVersusOracle);
  const feedBoundWaits = days.map((day) => day.feedBound.queueWaitSeconds.p95);
  const tracking = days.map((day) => day.targetTracking.workerHours / day.oracle.workerHours);
  const trackingWaits = days.map((day) => day.targetTracking.queueWaitSeconds.p95);
  return (
    `| ${family} | ${median(ratios).toFixed(2)} / ${worst(ratios).toFixed(2)} | ${count((day) => day.verdict.withinHours)} ` +
    `| ${seconds(median(p95s))} / ${seconds(worst(p95s))} | ${count((day) => day.verdict.withinWait)} | ${count((day) => day.verdict.beatsTargetTracking)} ` +
    `| ${median(tracking).toFixed(2)} / ${seconds(median(trackingWaits))} | ${median(bound).toFixed(2)} / ${seconds(median(boundWaits))} ` +
    `| ${median(feedBound).toFixed(2)} / ${seconds(median(feedBoundWaits))} ` +
    `| ${median(days.map(dollars)).toFixed(2)} |`
  );
}

function table(runs: readonly FamilyRun[], pick: (run: FamilyRun) => DayEvaluation[], dollars: (day: DayEvaluation) => number): string[] {
  const lines = [
    "| family | × oracle median / worst | ≤ 1.15× | p95 wait median / worst | ≤ 180 s | beats target tracking | target tracking × / p95 (median) " +
      "| reactive bound × / p95 (median) | feed bound × / p95 (median) | $ per day (median) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const run of runs) lines.push(row(run.family, pick(run), dollars));
  const all = runs.flatMap(pick);
  lines.push(row(`all ${all.length} days`, all, dollars));
  return lines;
}

/** The assumed resume time is a guess until measured: the bursty families' medians at other resume times. */
function resumeSensitivity(coldRuns: readonly FamilyRun[]): string[] {
  const lines = ["| resume | pr-bursts × oracle / p95 (median) | workday-mix × oracle / p95 (median) |", "|---:|---:|---:|"];
  for (const resumeSeconds of [30, 45, 60, 90]) {
    const model = withWarmPool(defaultFleetModel, { ...warmPool, resumeSeconds });
    const cells = (["pr-bursts", "workday-mix"] as const).map((family) => {
      const cold = coldRuns.find((run) => run.family === family)?.cold ?? [];
      const days = cold.map((day, index) => evaluateDay(evaluationTrace(family, index), { baseModel: defaultFleetModel, model, oracleResult: day.oracle }));
      const ratio = median(days.map((day) => day.verdict.hoursVersusOracle));
      return `${ratio.toFixed(2)} / ${seconds(median(days.map((day) => day.policy.queueWaitSeconds.p95)))}`;
    });
    lines.push(`| ${resumeSeconds} s | ${cells.join(" | ")} |`);
  }
  return lines;
}

it("evaluates the policy on the held-out days, with and without a warm pool", () => {
  const started = performance.now();
  const runs: FamilyRun[] = evaluationFamilies.map((family) => {
    const cold: DayEvaluation[] = [];
    const warm: DayEvaluation[] = [];
    for (let day = 0; day < daysPerFamily; day += 1) {
      const trace = evaluationTrace(family, day);
      const without = evaluateDay(trace, { baseModel: defaultFleetModel });
      cold.push(without);
      warm.push(evaluateDay(trace, { baseModel: defaultFleetModel, model: warmModel, oracleResult: without.oracle }));
    }
    return { family, cold, warm };
  });
  const sensitivity = resumeSensitivity(runs);
  const elapsedSeconds = (performance.now() - started) / 1000;
  const cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "unknown";
  const machine = { nproc: availableParallelism(), cpu, node: process.version };
  const spotDollars = (day: DayEvaluation) => day.policy.workerHours * onDemandVcpuHour * spotShare;
  const onDemandDollars = (day: DayEvaluation) => (day.policy.workerHours + day.policy.stoppedVolumeHours) * onDemandVcpuHour;
  const seeds = evaluationFamilies.map((family) => `${family} ${evaluationSeed(family, 0)}…${evaluationSeed(family, daysPerFamily - 1)}`).join(", ");

  mkdirSync(resultsDir, { recursive: true });
  const summary = (days: DayEvaluation[]) =>
    days.map(({ trace, verdict, policy, targetTracking, reactiveBound, feedBound }) => ({ trace, verdict, policy, targetTracking, reactiveBound, feedBound }));
  writeFileSync(
    `${resultsDir}autoscaler-evaluation.json`,
    `${JSON.stringify({ machine, warmPool, runs: runs.map((run) => ({ family: run.family, cold: summary(run.cold), warm: summary(run.warm) })) }, null, 2)}\n`,
  );
  const describe = (model: FleetModel) =>
    `boot ${model.bootSeconds} s, feed every ${model.feedIntervalSeconds} s, ` +
    (model.warmPool
      ? `on-demand (no spot), warm pool: ${model.warmPool.maxPreparedInstances} instances prepared, resume ${model.warmPool.resumeSeconds} s, ` +
        `${model.warmPool.volumeGib} GiB gp3 at $${model.warmPool.volumeDollarsPerGibMonth}/GiB-month while stopped`
      : `spot (an interruption every ${model.meanSecondsBetweenInterruptions} s on average), no warm pool`);
  process.stdout.write(
    [
      "",
      `held-out evaluation — ${machine.nproc} cores (nproc), ${machine.cpu}, Node ${machine.node}; simulated in ${elapsedSeconds.toFixed(1)} s`,
      `${daysPerFamily} days per family, seeds ${seeds}`,
      "× oracle: (worker vCPU-hours + stopped volumes) / the cold oracle's; p95: queue wait; median / worst over the days",
      "",
      `## Without a warm pool (${describe(defaultFleetModel)}); $ at spot (${spotShare} × on-demand)`,
      "",
      ...table(runs, (run) => run.cold, spotDollars),
      "",
      `## With a warm pool (${describe(warmModel)}); $ on-demand`,
      "",
      ...table(runs, (run) => run.warm, onDemandDollars),
      "",
      "## The warm pool at other resume times",
      "",
      ...sensitivity,
      "",
      "written to bench/results/autoscaler-evaluation.json",
      "",
    ].join("\n"),
  );
});
