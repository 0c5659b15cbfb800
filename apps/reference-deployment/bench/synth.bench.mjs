// Cold synth of the reference deployment in fresh Node processes: wall time and peak RSS, beside the
// cost of only importing the root of @cdktf/provider-aws, which the deep-import rule avoids.
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";

const appRoot = fileURLToPath(new URL("..", import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET = { wallMs: 1500, rssMb: 300 };

/** Runs `script` in a fresh node; the child reports its own peak RSS when it exits. */
function measure(script) {
  const started = process.hrtime.bigint();
  const child = spawnSync(
    process.execPath,
    ["--input-type=module", "-e", `${script}\nprocess.on("exit", () => process.stderr.write("RSS=" + process.resourceUsage().maxRSS + "\\n"));`],
    { cwd: appRoot, encoding: "utf8" },
  );
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) throw new Error(`benchmark child failed: ${child.stderr}`);
  const rssKb = Number(/RSS=(\d+)/.exec(child.stderr)[1]);
  return { wallMs, rssMb: rssKb / 1024 };
}

function summarize(label, script) {
  const runs = Array.from({ length: RUNS }, () => measure(script));
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { label, wallMs: median(runs.map((r) => r.wallMs)), maxWallMs: Math.max(...runs.map((r) => r.wallMs)), rssMb: Math.max(...runs.map((r) => r.rssMb)) };
}

const synth = summarize("cold synth (node dist/main.js)", 'await import("./dist/main.js");');
const root = summarize("import '@cdktf/provider-aws' (root)", 'await import("@cdktf/provider-aws");');
const baseline = summarize("node startup (empty)", "");

console.log(`machine: ${cpus().length} × ${cpus()[0].model}, node ${process.version}, ${RUNS} runs each (median wall, max RSS)`);
console.log("| what | wall ms (median) | wall ms (max) | peak RSS MB |\n|---|---:|---:|---:|");
for (const row of [synth, root, baseline]) console.log(`| ${row.label} | ${row.wallMs.toFixed(0)} | ${row.maxWallMs.toFixed(0)} | ${row.rssMb.toFixed(0)} |`);
console.log(`provider root import / full synth: ${(root.wallMs / synth.wallMs).toFixed(1)}x the time, ${(root.rssMb / synth.rssMb).toFixed(1)}x the memory`);
const ok = synth.wallMs <= TARGET.wallMs && synth.rssMb <= TARGET.rssMb;
console.log(`target (synth ≤ ${TARGET.wallMs} ms and ≤ ${TARGET.rssMb} MB): ${ok ? "met" : "MISSED"}`);
if (!ok) process.exitCode = 1;
