// The policy benchmark: replays the committed traces through the fleet simulator under four policies and prints
// the tables of the README. Writes bench/results/autoscaler.json at the repository root (git-ignored).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { it } from "vitest";
import { defaultFeedCheck } from "../src/handler/config.js";
import { defaultPolicySettings, defaultPollIntervalSeconds, type CapacityPolicySettings } from "../src/policy/capacity-policy.js";
import { comparePolicies, type ComparisonOptions, type PolicyComparison } from "../src/simulator/compare.js";
import { defaultFleetModel, type Controller, type FleetModel } from "../src/simulator/fleet-model.js";
import { simulate } from "../src/simulator/simulate.js";
import { parseTrace, type Trace } from "../src/simulator/trace.js";
import { generateTrace, traceSeeds, type TraceName } from "../src/simulator/trace-generator.js";
import { autoscalerPolicy, oracle } from "../src/simulator/controllers.js";

const resultsDir = fileURLToPath(new URL("../../../bench/results/", import.meta.url));
const bundlePath = fileURLToPath(new URL("../dist/lambda/index.mjs", import.meta.url));

const hours = (value: number) => value.toFixed(1);
const seconds = (value: number) => `${Math.round(value)} s`;
const settings = defaultPolicySettings;
const pollSeconds = defaultPollIntervalSeconds;
const feedCheckSeconds = defaultFeedCheck(pollSeconds, "set-capacity");

function table(comparisons: readonly PolicyComparison[]): string[] {
  const lines = [
    "| trace | policy | worker vCPU-hours | × oracle | queue wait p50 | p95 | max | start delay p50 | p95 | launches |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const comparison of comparisons) {
    for (const result of [comparison.staticFleet, comparison.targetTracking, comparison.policy, comparison.oracle]) {
      const ratio = result.workerHours / comparison.oracle.workerHours;
      const wait = result.queueWaitSeconds;
      const delay = result.startDelaySeconds;
      lines.push(
        `| ${comparison.trace} | ${result.controller} | ${hours(result.workerHours)} | ${ratio.toFixed(2)} | ${seconds(wait.p50)} ` +
          `| ${seconds(wait.p95)} | ${seconds(wait.max)} | ${seconds(delay.p50)} | ${seconds(delay.p95)} | ${result.instanceLaunches} |`,
      );
    }
  }
  return lines;
}

function verdicts(comparisons: readonly PolicyComparison[]): string[] {
  return comparisons.map(({ trace, verdict, policy, targetTracking }) => {
    const mark = (ok: boolean) => (ok ? "met" : "MISSED");
    const delay = policy.startDelaySeconds.p95;
    return [
      `${trace}: hours ${verdict.hoursVersusOracle.toFixed(2)}× oracle (≤ 1.15: ${mark(verdict.withinHours)}); ` +
        `p95 wait ${seconds(policy.queueWaitSeconds.p95)} (≤ ${verdict.p95WaitLimitSeconds} s: ${mark(verdict.withinWait)}); ` +
        `vs target tracking ${hours(policy.workerHours)} < ${hours(targetTracking.workerHours)} h ` +
        `and ${seconds(policy.queueWaitSeconds.p95)} < ${seconds(targetTracking.queueWaitSeconds.p95)}: ${mark(verdict.beatsTargetTracking)}`,
      `  start delay (the build's view): p95 ${seconds(delay)} (≤ ${verdict.p95WaitLimitSeconds} s: ${mark(verdict.withinStartDelay)}); ` +
        `vs target tracking ${seconds(delay)} < ${seconds(targetTracking.startDelaySeconds.p95)}: ${mark(verdict.beatsTargetTrackingOnStartDelay)}`,
    ].join("\n");
  });
}

/** The spike at every export phase 5 s apart: how stale it looks when first seen decides its waits. */
function spikePhases(spike: Trace, model: FleetModel) {
  return Array.from({ length: model.feedIntervalSeconds / 5 }, (_, index) => index * 5).map((phase) => {
    const comparison = comparePolicies(spike, { model: { ...model, feedPhaseSeconds: phase } });
    return { phase, p95: comparison.policy.queueWaitSeconds.p95, hoursVersusOracle: comparison.verdict.hoursVersusOracle, verdict: comparison.verdict };
  });
}

function phaseLine(phases: ReturnType<typeof spikePhases>): string {
  const p95s = phases.map((p) => p.p95);
  const ratios = phases.map((p) => p.hoursVersusOracle);
  const met = phases.filter((p) => p.verdict.withinHours && p.verdict.withinWait && p.verdict.beatsTargetTracking).length;
  return (
    `spike over ${phases.length} export phases: p95 ${seconds(Math.min(...p95s))}–${seconds(Math.max(...p95s))}, ` +
    `hours ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}× oracle; all targets met at ${met}/${phases.length} phases\n` +
    `  (s → p95, × oracle): ${phases.map((p) => `${p.phase}→${seconds(p.p95)}, ${p.hoursVersusOracle.toFixed(2)}×`).join("; ")}`
  );
}

/**
 * Other days of the same shape: each trace's generator with `count` other seeds, under `model`. How often each target
 * holds, and the ranges, so the committed seeds' verdicts can be read against a sample.
 */
function otherDays(count: number, model: FleetModel): string[] {
  const lines = [
    "| trace | days | × oracle (min–max) | within 1.15× | wait p95 (min–max) | wait p95 ≤ 180 s | fewer hours than target " +
      "tracking | lower wait p95 than target tracking | start delay p95 (min–max) | ≤ 180 s | lower than target tracking |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const name of Object.keys(traceSeeds) as TraceName[]) {
    const days = Array.from({ length: count }, (_, index) => comparePolicies(generateTrace(name, traceSeeds[name] + 1000 + index), { model }));
    const ratios = days.map((day) => day.verdict.hoursVersusOracle);
    const p95s = days.map((day) => day.policy.queueWaitSeconds.p95);
    const delays = days.map((day) => day.policy.startDelaySeconds.p95);
    const share = (test: (day: PolicyComparison) => boolean) => `${days.filter(test).length}/${count}`;
    lines.push(
      `| ${name} | ${count} | ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)} | ${share((day) => day.verdict.withinHours)} ` +
        `| ${seconds(Math.min(...p95s))}–${seconds(Math.max(...p95s))} | ${share((day) => day.verdict.withinWait)} ` +
        `| ${share((day) => day.policy.workerHours < day.targetTracking.workerHours)} ` +
        `| ${share((day) => day.policy.queueWaitSeconds.p95 < day.targetTracking.queueWaitSeconds.p95)} ` +
        `| ${seconds(Math.min(...delays))}–${seconds(Math.max(...delays))} ` +
        `| ${share((day) => day.verdict.withinStartDelay)} | ${share((day) => day.policy.startDelaySeconds.p95 < day.targetTracking.startDelaySeconds.p95)} |`,
    );
  }
  return lines;
}

/**
 * The completion-rate rule without the arrival term (desired = executing + max(0, queued − completions/s × boot)):
 * the real controller with the measured arrivals set to 0. Not a policy of the package; the ablation shows why.
 */
function completionsOnly(policy: CapacityPolicySettings, poll: number, check: number): Controller {
  return autoscalerPolicy(policy, poll, check, {
    name: "completions only",
    adjustDrain: (drain) => (drain.kind === "known" ? { ...drain, arrivalsPerSecond: 0 } : drain),
  });
}

/** Each refinement taken away in turn (feed model: 60 s), and the previous policy (all three away). */
function ablations(traces: readonly Trace[]): string[] {
  const phaseCount = defaultFleetModel.feedIntervalSeconds / 5;
  const variants: { name: string; options: ComparisonOptions }[] = [
    { name: "this policy (defaults)", options: {} },
    { name: `no feed checks (decide every ${pollSeconds} s only)`, options: { feedCheckSeconds: pollSeconds } },
    { name: "no quick scale-in (quickScaleInFraction 0)", options: { settings: { ...settings, quickScaleInFraction: 0 } } },
    { name: "no drain refinement (bootSeconds 0)", options: { settings: { ...settings, bootSeconds: 0 } } },
    {
      name: "previous policy (none of the three)",
      options: { feedCheckSeconds: pollSeconds, settings: { ...settings, quickScaleInFraction: 0, bootSeconds: 0 } },
    },
  ];
  const lines = [
    `| variant | ${traces.map((trace) => `${trace.name} × oracle / p95`).join(" | ")} | spike p95 over the ${phaseCount} phases |`,
    `|---|${traces.map(() => "---:").join("|")}|---:|`,
  ];
  const oracles = new Map(traces.map((trace) => [trace.name, simulate(trace, defaultFleetModel, oracle(settings.unitsPerAction))]));
  const spike = traces.find((trace) => trace.name === "spike")!;
  const row = (name: string, run: (trace: Trace, model: FleetModel) => { workerHours: number; queueWaitSeconds: { p95: number } }) => {
    const cells = traces.map((trace) => {
      const result = run(trace, defaultFleetModel);
      return `${(result.workerHours / oracles.get(trace.name)!.workerHours).toFixed(2)} / ${seconds(result.queueWaitSeconds.p95)}`;
    });
    const p95s = Array.from({ length: phaseCount }, (_, index) => run(spike, { ...defaultFleetModel, feedPhaseSeconds: index * 5 }).queueWaitSeconds.p95);
    lines.push(`| ${name} | ${cells.join(" | ")} | ${seconds(Math.min(...p95s))}–${seconds(Math.max(...p95s))} |`);
  };
  for (const variant of variants) row(variant.name, (trace, model) => comparePolicies(trace, { ...variant.options, model }).policy);
  for (const horizon of [20, 60, 120]) {
    row(`drain by completions only, arrivals ignored, horizon ${horizon} s`, (trace, model) =>
      simulate(trace, model, completionsOnly({ ...settings, bootSeconds: horizon }, pollSeconds, feedCheckSeconds)),
    );
  }
  return lines;
}

it("compares the policies on the committed traces", () => {
  const started = performance.now();
  const traces = Object.keys(traceSeeds).map((name) => parseTrace(readFileSync(new URL(`./traces/${name}.csv`, import.meta.url), "utf8")));
  const spike = traces.find((trace) => trace.name === "spike")!;
  const fast = { ...defaultFleetModel, feedIntervalSeconds: 15 };
  const comparisons = traces.map((trace) => comparePolicies(trace));
  const phases = spikePhases(spike, defaultFleetModel);
  const fastComparisons = traces.map((trace) => comparePolicies(trace, { model: fast }));
  const fastPhases = spikePhases(spike, fast);
  const ablation = ablations(traces);
  const asTraced = { ...defaultFleetModel, clients: "replay-as-traced" as const };
  const workday = traces.find((trace) => trace.name === "ci-workday")!;
  const openLoop = [comparePolicies(workday, { model: asTraced }), comparePolicies(workday, { model: { ...asTraced, feedIntervalSeconds: 15 } })];
  const days = otherDays(10, defaultFleetModel);
  const fastDays = otherDays(10, fast);
  const elapsedSeconds = (performance.now() - started) / 1000;
  const cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "unknown";
  const machine = { nproc: availableParallelism(), cpu, node: process.version };
  const bundleBytes = readFileSync(bundlePath).length;

  mkdirSync(resultsDir, { recursive: true });
  const results = {
    machine,
    model: defaultFleetModel,
    settings,
    pollSeconds,
    feedCheckSeconds,
    comparisons,
    spikePhases: phases,
    export15s: { model: fast, comparisons: fastComparisons, spikePhases: fastPhases },
    ablation,
    openLoop,
    otherDays: days,
    otherDays15s: fastDays,
    bundleBytes,
  };
  writeFileSync(`${resultsDir}autoscaler.json`, `${JSON.stringify(results, null, 2)}\n`);

  const m = defaultFleetModel;
  process.stdout.write(
    [
      "",
      `autoscaler benchmark — ${machine.nproc} cores (nproc), ${machine.cpu}, Node ${machine.node}; simulated in ${elapsedSeconds.toFixed(1)} s`,
      `fleet: ${m.instanceUnits}-vCPU instances (${m.slotsPerInstance} slots), min ${m.minCapacity} max ${m.maxCapacity} vCPUs, ` +
        `boot ${m.bootSeconds} s, feed every ${m.feedIntervalSeconds} s, spot interruption every ${m.meanSecondsBetweenInterruptions} ` +
        `s on average (${m.interruptionNoticeSeconds} s notice), random scale-in victim drained; clients: ${m.clients}`,
      `policy: poll every ${pollSeconds} s, feed checked every ${feedCheckSeconds} s, scale in after ${settings.scaleInAfterSeconds} ` +
        `s (a collapse to ≤ ${settings.quickScaleInFraction} × the fleet after ${settings.quickScaleInAfterSeconds} s), ` +
        `drain horizon (boot) ${settings.bootSeconds} s, rates over ${settings.rateWindowSeconds} s, ${settings.unitsPerAction} unit per action`,
      "",
      `## The scheduler exporting every ${m.feedIntervalSeconds} s (NativeLink's default)`,
      "",
      ...table(comparisons),
      "",
      ...verdicts(comparisons),
      phaseLine(phases),
      "",
      `## Exporting every ${fast.feedIntervalSeconds} s (OTEL_METRIC_EXPORT_INTERVAL=15000 on the scheduler)`,
      "",
      ...table(fastComparisons),
      "",
      ...verdicts(fastComparisons),
      phaseLine(fastPhases),
      "",
      "## The CI workday replayed as traced (clients submit on schedule even while their actions wait: no --jobs limit), export every 60 s, then 15 s",
      "",
      ...table(openLoop).filter((line, index) => index < 2 || !line.includes("static")),
      "",
      ...verdicts(openLoop),
      "",
      `## Ten other days of each trace's shape (generator seeds + 1000…1009; export every ${m.feedIntervalSeconds} s)`,
      "",
      ...days,
      "",
      `## The same days, exporting every ${fast.feedIntervalSeconds} s`,
      "",
      ...fastDays,
      "",
      `## Ablation (export every ${m.feedIntervalSeconds} s; phase 0, last column all phases)`,
      "",
      ...ablation,
      "",
      `handler bundle: ${bundleBytes} B minified`,
      "written to bench/results/autoscaler.json",
      "",
    ].join("\n"),
  );
});
