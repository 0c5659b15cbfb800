// Measurement helpers for the dns-lambda benchmark.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";

export interface Summary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly min: number;
  readonly max: number;
}

/** Nearest-rank percentiles, in ms rounded to 0.1. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
  const round = (value: number) => Math.round(value * 10) / 10;
  return { count: sorted.length, p50: round(rank(50)), p95: round(rank(95)), min: round(sorted[0] ?? Number.NaN), max: round(sorted.at(-1) ?? Number.NaN) };
}

export function machine(): { nproc: number; cpu: string; node: string; moto: string } {
  const cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "unknown";
  const python = fileURLToPath(new URL("../../../.venv/bin/python", import.meta.url));
  const moto = execFileSync(python, ["-c", "import moto; print(moto.__version__)"], { encoding: "utf8" }).trim();
  return { nproc: availableParallelism(), cpu, node: process.version, moto };
}

/**
 * Cold start as Lambda pays it on init: a fresh Node process imports the bundle (module load, configuration
 * validation, client construction) until `handler` is ready. Also the whole process, Node's own boot included.
 */
export function coldStart(bundlePath: string, environment: Record<string, string>): { importMs: number; processMs: number } {
  const script =
    `const t0 = performance.now(); const m = await import(${JSON.stringify(bundlePath)}); if (typeof m.handler ` +
    `!== "function") throw new Error("no handler"); process.stdout.write(String(performance.now() - t0));`;
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { env: { PATH: process.env.PATH, ...environment }, encoding: "utf8" });
  const processMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) throw new Error(`cold start run failed: ${child.stderr}`);
  return { importMs: Number(child.stdout), processMs };
}
