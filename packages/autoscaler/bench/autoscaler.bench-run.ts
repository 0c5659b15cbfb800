// The policy benchmark: replays the committed traces through the fleet simulator under four policies and prints
// the table of the README. Writes bench/results/autoscaler.json at the repository root (git-ignored).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { it } from "vitest";
import { defaultPolicySettings, defaultPollIntervalSeconds } from "../src/policy/capacity-policy.js";
import { comparePolicies, type PolicyComparison } from "../src/simulator/compare.js";
import { defaultFleetModel } from "../src/simulator/fleet-model.js";
import { parseTrace } from "../src/simulator/trace.js";
import { traceSeeds } from "../src/simulator/trace-generator.js";

const resultsDir = fileURLToPath(new URL("../../../bench/results/", import.meta.url));
const bundlePath = fileURLToPath(new URL("../dist/lambda/index.mjs", import.meta.url));

const hours = (value: number) => value.toFixed(1);
const seconds = (value: number) => `${Math.round(value)} s`;

function table(comparisons: readonly PolicyComparison[]): string[] {
  const lines = ["| trace | policy | worker vCPU-hours | × oracle | queue wait p50 | p95 | max | launches |", "|---|---|---:|---:|---:|---:|---:|---:|"];
  for (const comparison of comparisons) {
    for (const result of [comparison.staticFleet, comparison.targetTracking, comparison.policy, comparison.oracle]) {
      const ratio = result.workerHours / comparison.oracle.workerHours;
      const wait = result.queueWaitSeconds;
      lines.push(`| ${comparison.trace} | ${result.controller} | ${hours(result.workerHours)} | ${ratio.toFixed(2)} | ${seconds(wait.p50)} | ${seconds(wait.p95)} | ${seconds(wait.max)} | ${result.instanceLaunches} |`);
    }
  }
  return lines;
}

function verdicts(comparisons: readonly PolicyComparison[]): string[] {
  return comparisons.map(({ trace, verdict, policy, targetTracking }) => {
    const mark = (ok: boolean) => (ok ? "met" : "MISSED");
    return `${trace}: hours ${verdict.hoursVersusOracle.toFixed(2)}× oracle (≤ 1.15: ${mark(verdict.withinHours)}); p95 wait ${seconds(policy.queueWaitSeconds.p95)} (≤ ${verdict.p95WaitLimitSeconds} s: ${mark(verdict.withinWait)}); vs target tracking ${hours(policy.workerHours)} < ${hours(targetTracking.workerHours)} h and ${seconds(policy.queueWaitSeconds.p95)} < ${seconds(targetTracking.queueWaitSeconds.p95)}: ${mark(verdict.beatsTargetTracking)}`;
  });
}

it("compares the policies on the committed traces", () => {
  const started = performance.now();
  const traces = Object.keys(traceSeeds).map((name) => parseTrace(readFileSync(new URL(`./traces/${name}.csv`, import.meta.url), "utf8")));
  const comparisons = traces.map((trace) => comparePolicies(trace));
  // The feed's export phase decides how stale the spike looks when first seen: every phase, 5 s apart.
  const spike = traces.find((trace) => trace.name === "spike")!;
  const phases = Array.from({ length: 12 }, (_, index) => index * 5).map((phase) => {
    const comparison = comparePolicies(spike, { model: { ...defaultFleetModel, feedPhaseSeconds: phase } });
    return { phase, p95: comparison.policy.queueWaitSeconds.p95, hoursVersusOracle: comparison.verdict.hoursVersusOracle };
  });
  const elapsedSeconds = (performance.now() - started) / 1000;
  const cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "unknown";
  const machine = { nproc: availableParallelism(), cpu, node: process.version };
  const bundleBytes = readFileSync(bundlePath).length;

  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(`${resultsDir}autoscaler.json`, `${JSON.stringify({ machine, model: defaultFleetModel, settings: defaultPolicySettings, pollSeconds: defaultPollIntervalSeconds, comparisons, spikePhases: phases, bundleBytes }, null, 2)}\n`);

  const m = defaultFleetModel;
  process.stdout.write(
    [
      "",
      `autoscaler benchmark — ${machine.nproc} cores (nproc), ${machine.cpu}, Node ${machine.node}; simulated in ${elapsedSeconds.toFixed(1)} s`,
      `fleet: ${m.instanceUnits}-vCPU instances (${m.slotsPerInstance} slots), min ${m.minCapacity} max ${m.maxCapacity} vCPUs, boot ${m.bootSeconds} s, feed every ${m.feedIntervalSeconds} s, spot interruption every ${m.meanSecondsBetweenInterruptions} s on average (${m.interruptionNoticeSeconds} s notice), random scale-in victim drained`,
      `policy: poll every ${defaultPollIntervalSeconds} s, scale in after ${defaultPolicySettings.scaleInAfterSeconds} s, ${defaultPolicySettings.unitsPerAction} unit per action`,
      "",
      ...table(comparisons),
      "",
      ...verdicts(comparisons),
      `spike, by feed phase (s → p95 wait, × oracle): ${phases.map((p) => `${p.phase}→${seconds(p.p95)}, ${p.hoursVersusOracle.toFixed(2)}×`).join("; ")}`,
      `handler bundle: ${bundleBytes} B minified`,
      "written to bench/results/autoscaler.json",
      "",
    ].join("\n"),
  );
});
