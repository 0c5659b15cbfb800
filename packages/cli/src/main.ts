#!/usr/bin/env node
// The `nativelink-aws` binary: all logic lives in program.ts so tests can run it in-process.
import { processIo } from "./io.js";
import { run } from "./program.js";

process.exitCode = await run(process.argv.slice(2), processIo());
