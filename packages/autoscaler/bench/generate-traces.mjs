#!/usr/bin/env node
// @ts-check
// Writes the benchmark's traces (bench/traces/*.csv) from the seeded generator in src/simulator/trace-generator.ts,
// as built in dist/ (`npm run traces` builds first). Deterministic: the same files on every machine; a test checks
// that the committed files are exactly what the generator makes.
import { writeFileSync } from "node:fs";
import { formatTrace, generateTrace, traceSeeds } from "../dist/exports/simulator.js";

for (const name of /** @type {(keyof typeof traceSeeds)[]} */ (Object.keys(traceSeeds))) {
  const trace = generateTrace(name);
  const path = new URL(`./traces/${name}.csv`, import.meta.url);
  writeFileSync(path, formatTrace(trace));
  process.stderr.write(`${name}: ${trace.actions.length} actions over ${trace.durationSeconds} s → bench/traces/${name}.csv\n`);
}
