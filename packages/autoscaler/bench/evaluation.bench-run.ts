// The held-out evaluation: the policy on trace families and seeds never used while tuning it (src/simulator/
// evaluation-traces.ts), as the deployment ships (the scheduler exporting every 15 s) and at NativeLink's default 60 s
// export, each without a warm pool, with the pool as the construct builds it, and with ReuseOnScaleIn. Prints the
// README's tables; writes bench/results/autoscaler-evaluation.json at the repository root (git-ignored).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { it } from "vitest";
import { evaluateDay, type DayEvaluation } from "../src/simulator/evaluate.js";
import { evaluationFamilies, evaluationSeed, evaluationTrace, type EvaluationFamily } from "../src/simulator/evaluation-traces.js";
import { defaultFleetModel, shippedFleetModel, withWarmPool, type FleetModel } from "../src/simulator/fleet-model.js";
import { defaultWarmPool, warmPoolTarget, type WarmPoolModel } from "../src/simulator/warm-pool.js";

const resultsDir = fileURLToPath(new URL("../../../bench/results/", import.meta.url));
/** Days per family: 7 × 5 families = 35 held-out days. */
const daysPerFamily = 7;
/**
 * The construct's props this pool is: `workers.x86_64: { instanceTypes: ["m6id.large"], purchaseOption: "on-demand",
 * minVcpus: 0, maxVcpus: 200, warmPool: { minSize: 32 } }` (maxGroupPreparedCapacity left at its default, 0 + 32): 32
 * instances stopped whatever the group runs, one PR build's `--jobs 64`; scale-in terminates, launches refill the pool.
 */
const warmPool = { ...defaultWarmPool, minSize: 32, reuseOnScaleIn: false };
/**
 * The fleets judged beside the cold one: the pool above; the same props with `reuseOnScaleIn: true` (its 32 are kept
 * whatever runs, so a returning worker finds the pool full unless a refill is still missing); and a pool sized for
 * reuse, `{ minSize: 1, maxGroupPreparedCapacity: 32, reuseOnScaleIn: true }`: 32 prepared in all, the pool holding
 * 32 - desired (at least 1), so a draw launches no refill and a scale-in returns the worker.
 */
const pools = {
  warm: { label: "the pool as built (scale-in terminates)", pool: warmPool },
  reuse: { label: "the same pool with reuseOnScaleIn", pool: { ...warmPool, reuseOnScaleIn: true } },
  reuseSized: {
    label: "a pool sized for reuse",
    pool: { ...defaultWarmPool, minSize: 1, maxGroupPreparedCapacity: 32, reuseOnScaleIn: true },
  },
} as const;
type PoolName = keyof typeof pools;
const poolNames = Object.keys(pools) as PoolName[];
const configurations = [
  { title: "As shipped: the scheduler image exports every 15 s", base: shippedFleetModel },
  { title: "NativeLink's default export, every 60 s (for comparison)", base: defaultFleetModel },
];
/** The CLI's price table: m6id.large on-demand $/h, and spot as 0.35 of it (warm pools cannot use spot). */
const onDemandVcpuHour = warmPool.instanceDollarsPerHour / defaultFleetModel.instanceUnits;
const spotShare = 0.35;

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
};
const worst = (values: readonly number[]) => Math.max(...values);
const seconds = (value: number) => `${Math.round(value)} s`;
const sizesOf = ({ minSize, maxGroupPreparedCapacity, reuseOnScaleIn }: WarmPoolModel) => ({ minSize, maxGroupPreparedCapacity, reuseOnScaleIn });

interface FamilyRun {
  readonly family: EvaluationFamily;
  readonly cold: DayEvaluation[];
  readonly pooled: Record<PoolName, DayEvaluation[]>;
}

function row(family: string, days: readonly DayEvaluation[], dollars: (day: DayEvaluation) => number): string {
  const ratios = days.map((day) => day.verdict.hoursVersusOracle);
  const p95s = days.map((day) => day.policy.queueWaitSeconds.p95);
  const count = (test: (day: DayEvaluation) => boolean) => `${days.filter(test).length}/${days.length}`;
  const bound = days.map((day) => day.verdict.boundHoursVersusOracle);
  const boundWaits = days.map((day) => day.reactiveBound.queueWaitSeconds.p95);
  const feedBound = days.map((day) => day.verdict.feedBoundHoursVersusOracle);
  const feedBoundWaits = days.map((day) => day.feedBound.queueWaitSeconds.p95);
  const holdBound = days.map((day) => day.verdict.holdBoundHoursVersusOracle);
  const holdBoundWaits = days.map((day) => day.holdBound.queueWaitSeconds.p95);
  const paid = (result: DayEvaluation["policy"]) => result.workerHours + result.stoppedVolumeHours;
  const tracking = days.map((day) => paid(day.targetTracking) / paid(day.oracle));
  const trackingWaits = days.map((day) => day.targetTracking.queueWaitSeconds.p95);
  return (
    `| ${family} | ${median(ratios).toFixed(2)} / ${worst(ratios).toFixed(2)} | ${count((day) => day.verdict.withinHours)} ` +
    `| ${seconds(median(p95s))} / ${seconds(worst(p95s))} | ${count((day) => day.verdict.withinWait)} | ${count((day) => day.verdict.beatsTargetTracking)} ` +
    `| ${median(tracking).toFixed(2)} / ${seconds(median(trackingWaits))} | ${median(bound).toFixed(2)} / ${seconds(median(boundWaits))} ` +
    `| ${median(feedBound).toFixed(2)} / ${seconds(median(feedBoundWaits))} | ${median(holdBound).toFixed(2)} / ${seconds(median(holdBoundWaits))} ` +
    `| ${median(days.map(dollars)).toFixed(2)} |`
  );
}

function table(runs: readonly FamilyRun[], pick: (run: FamilyRun) => DayEvaluation[], dollars: (day: DayEvaluation) => number): string[] {
  const lines = [
    "| family | × oracle median / worst | ≤ 1.15× | p95 wait median / worst | ≤ 180 s | beats target tracking | target tracking × / p95 (median) " +
      "| reactive bound × / p95 (median) | feed bound × / p95 (median) | hold bound × / p95 (median) | $ per day (median) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const run of runs) lines.push(row(run.family, pick(run), dollars));
  const all = runs.flatMap(pick);
  lines.push(row(`all ${all.length} days`, all, dollars));
  return lines;
}

/** The assumed resume time is a guess until measured: the bursty families' medians at other resume times, as shipped. */
function resumeSensitivity(shipped: readonly FamilyRun[]): string[] {
  const lines = ["| resume | pr-bursts × oracle / p95 (median) | workday-mix × oracle / p95 (median) |", "|---:|---:|---:|"];
  for (const resumeSeconds of [30, 45, 60, 90]) {
    const model = withWarmPool(shippedFleetModel, { ...warmPool, resumeSeconds });
    const cells = (["pr-bursts", "workday-mix"] as const).map((family) => {
      const cold = shipped.find((run) => run.family === family)?.cold ?? [];
      const days = cold.map((day, index) => evaluateDay(evaluationTrace(family, index), { baseModel: shippedFleetModel, model, oracleResult: day.oracle }));
      const ratio = median(days.map((day) => day.verdict.hoursVersusOracle));
      return `${ratio.toFixed(2)} / ${seconds(median(days.map((day) => day.policy.queueWaitSeconds.p95)))}`;
    });
    lines.push(`| ${resumeSeconds} s | ${cells.join(" | ")} |`);
  }
  return lines;
}

/** Every family's days on `base`, without and with each pool; the oracle (which reads no feed) simulated once per day. */
function evaluate(base: FleetModel, oracles: Map<string, DayEvaluation["oracle"]>): FamilyRun[] {
  return evaluationFamilies.map((family) => {
    const cold: DayEvaluation[] = [];
    const pooled = Object.fromEntries(poolNames.map((name) => [name, [] as DayEvaluation[]])) as Record<PoolName, DayEvaluation[]>;
    for (let day = 0; day < daysPerFamily; day += 1) {
      const trace = evaluationTrace(family, day);
      const without = evaluateDay(trace, { baseModel: base, oracleResult: oracles.get(trace.name) });
      oracles.set(trace.name, without.oracle);
      cold.push(without);
      for (const name of poolNames)
        pooled[name].push(evaluateDay(trace, { baseModel: base, model: withWarmPool(base, pools[name].pool), oracleResult: without.oracle }));
    }
    return { family, cold, pooled };
  });
}

it("evaluates the policy on the held-out days as shipped and at a 60 s export, with and without a warm pool", () => {
  const started = performance.now();
  const oracles = new Map<string, DayEvaluation["oracle"]>();
  const results = configurations.map((configuration) => ({ ...configuration, runs: evaluate(configuration.base, oracles) }));
  const sensitivity = resumeSensitivity(results[0]?.runs ?? []);
  const elapsedSeconds = (performance.now() - started) / 1000;
  const cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "unknown";
  const machine = { nproc: availableParallelism(), cpu, node: process.version };
  const spotDollars = (day: DayEvaluation) => day.policy.workerHours * onDemandVcpuHour * spotShare;
  const onDemandDollars = (day: DayEvaluation) => (day.policy.workerHours + day.policy.stoppedVolumeHours) * onDemandVcpuHour;
  const seeds = evaluationFamilies.map((family) => `${family} ${evaluationSeed(family, 0)}…${evaluationSeed(family, daysPerFamily - 1)}`).join(", ");

  mkdirSync(resultsDir, { recursive: true });
  const summary = (days: DayEvaluation[]) =>
    days.map(({ trace, verdict, policy, targetTracking, reactiveBound, feedBound, holdBound }) => ({
      trace,
      verdict,
      policy,
      targetTracking,
      reactiveBound,
      feedBound,
      holdBound,
    }));
  const written = results.map(({ title, base, runs }) => ({
    title,
    feedIntervalSeconds: base.feedIntervalSeconds,
    runs: runs.map((run) => ({
      family: run.family,
      cold: summary(run.cold),
      ...Object.fromEntries(poolNames.map((name) => [name, summary(run.pooled[name])])),
    })),
  }));
  writeFileSync(`${resultsDir}autoscaler-evaluation.json`, `${JSON.stringify({ machine, pools, configurations: written }, null, 2)}\n`);
  const groupMinInstances = Math.ceil(defaultFleetModel.minCapacity / defaultFleetModel.instanceUnits);
  const describe = (model: FleetModel) =>
    `boot ${model.bootSeconds} s, feed every ${model.feedIntervalSeconds} s, ` +
    (model.warmPool
      ? `on-demand (no spot), warm pool ${JSON.stringify(sizesOf(model.warmPool))}: ${warmPoolTarget(model.warmPool, groupMinInstances, 0)} ` +
        `instances stopped at desired 0, resume ${model.warmPool.resumeSeconds} s, ` +
        `scale-in ${model.warmPool.reuseOnScaleIn ? "returns to the pool where it has room" : "terminates"}, ` +
        `${model.warmPool.volumeGib} GiB gp3 at $${model.warmPool.volumeDollarsPerGibMonth}/GiB-month while stopped`
      : `spot (an interruption every ${model.meanSecondsBetweenInterruptions} s on average), no warm pool`);
  const sections = results.flatMap(({ title, base, runs }) => [
    `## ${title}`,
    "",
    `### Without a warm pool (${describe(base)}); $ at spot (${spotShare} × on-demand)`,
    "",
    ...table(runs, (run) => run.cold, spotDollars),
    "",
    ...poolNames.flatMap((name) => [
      `### With ${pools[name].label} (${describe(withWarmPool(base, pools[name].pool))}); $ on-demand`,
      "",
      ...table(runs, (run) => run.pooled[name], onDemandDollars),
      "",
    ]),
  ]);
  process.stdout.write(
    [
      "",
      `held-out evaluation — ${machine.nproc} cores (nproc), ${machine.cpu}, Node ${machine.node}; simulated in ${elapsedSeconds.toFixed(1)} s`,
      `${daysPerFamily} days per family, seeds ${seeds}`,
      "× oracle: (worker vCPU-hours + stopped volumes) / the cold oracle's; p95: queue wait; median / worst over the days",
      "",
      ...sections,
      "## The warm pool at other resume times (as shipped)",
      "",
      ...sensitivity,
      "",
      "written to bench/results/autoscaler-evaluation.json",
      "",
    ].join("\n"),
  );
});
