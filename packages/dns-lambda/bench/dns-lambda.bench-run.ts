// Benchmark of the bundled handler: size, cold start, latency against moto. Writes bench/results/dns-lambda.json
// at the repository root (git-ignored) and prints a summary.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { inject, it } from "vitest";
import { motoEnvironment } from "../../../tools/moto/moto-server.js";
import type { SchedulerDnsHandler } from "../src/handler/handler.js";
import { scheduledEvent } from "../test/support/events.js";
import { createSchedulerGroup } from "../test/support/scheduler-group.js";
import { coldStart, machine, summarize } from "./measure.js";

const bundlePath = fileURLToPath(new URL("../dist/lambda/index.mjs", import.meta.url));
const zipPath = fileURLToPath(new URL("../dist/lambda/handler.zip", import.meta.url));
const resultsDir = fileURLToPath(new URL("../../../bench/results/", import.meta.url));
const coldRuns = 20;
const invocations = 50;

it("measures the dns-lambda bundle", async () => {
  const bundle = readFileSync(bundlePath);
  const size = { minifiedBytes: bundle.length, gzippedBytes: gzipSync(bundle).length, zipBytes: readFileSync(zipPath).length };

  const endpoint = inject("motoEndpoint");
  const group = await createSchedulerGroup(endpoint, { instances: 1 });
  const environment = { ...motoEnvironment(endpoint), SCHEDULER_ASG_NAME: group.groupName, HOSTED_ZONE_ID: group.hostedZoneId, RECORD_NAME: group.recordName };

  coldStart(bundlePath, environment); // warm the OS file cache, as Lambda's would be
  const cold = Array.from({ length: coldRuns }, () => coldStart(bundlePath, environment));

  Object.assign(process.env, environment);
  const { handler } = (await import(pathToFileURL(bundlePath).href)) as { handler: SchedulerDnsHandler };
  // The handler logs one JSON line per invocation; 100 of them would bury the numbers.
  const write = process.stdout.write.bind(process.stdout);
  const timed = async (event: unknown) => {
    process.stdout.write = () => true;
    const started = performance.now();
    try {
      const result = await handler(event);
      return { ms: performance.now() - started, outcome: result.outcome };
    } finally {
      process.stdout.write = write;
    }
  };
  const first = await timed({});
  const unchanged: number[] = [];
  for (let i = 0; i < invocations; i += 1) unchanged.push((await timed(scheduledEvent())).ms);
  const updated: number[] = [];
  const [instanceId] = await group.instanceIds();
  const liveIp = await group.privateIp(instanceId!);
  for (let i = 0; i < invocations; i += 1) {
    await group.writeRecord(["10.99.99.99"], 30); // a stale record, outside the timing
    const run = await timed(scheduledEvent());
    if (run.outcome !== "updated") throw new Error(`expected an update, got ${run.outcome}`);
    updated.push(run.ms);
  }
  if ((await group.readRecord())?.ips[0] !== liveIp) throw new Error("the record does not hold the live scheduler");

  const results = {
    machine: machine(),
    size,
    coldStart: { runs: coldRuns, importMs: summarize(cold.map((run) => run.importMs)), processMs: summarize(cold.map((run) => run.processMs)) },
    latencyAgainstMoto: { firstInvocationMs: Math.round(first.ms * 10) / 10, unchangedMs: summarize(unchanged), updatedMs: summarize(updated) },
    targets: { minifiedBytesMax: 300_000, coldImportMsMax: 150 },
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(`${resultsDir}dns-lambda.json`, `${JSON.stringify(results, null, 2)}\n`);

  const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
  const line = (label: string, s: { p50: number; p95: number; min: number; max: number }) =>
    `${label}: p50 ${s.p50} ms, p95 ${s.p95} ms (min ${s.min}, max ${s.max})`;
  const verdict = (ok: boolean) => (ok ? "target met" : "TARGET MISSED");
  write(
    [
      "",
      `dns-lambda benchmark — ${results.machine.nproc} cores, ${results.machine.cpu}, Node ${results.machine.node}, moto ${results.machine.moto}`,
      `bundle: ${size.minifiedBytes} B (${kb(size.minifiedBytes)}) minified, ${size.gzippedBytes} B gzipped, ` +
        `zip ${size.zipBytes} B — ${verdict(size.minifiedBytes <= 300_000)} (≤ 300 KB)`,
      `${line(`cold init, import to handler ready (${coldRuns} fresh processes)`, results.coldStart.importMs)} ` +
        `— ${verdict(results.coldStart.importMs.p95 <= 150)} (≤ 150 ms)`,
      line("cold process, spawn to exit incl. Node boot", results.coldStart.processMs),
      `handler against moto: first invocation ${results.latencyAgainstMoto.firstInvocationMs} ms`,
      line(`  unchanged record (${invocations} invocations: 3 reads)`, results.latencyAgainstMoto.unchangedMs),
      line(`  updated record (${invocations} invocations: 3 reads + UPSERT)`, results.latencyAgainstMoto.updatedMs),
      `written to bench/results/dns-lambda.json`,
      "",
    ].join("\n"),
  );
});
