#!/usr/bin/env node
// The `nativelink-aws` binary: all logic lives in program.ts so tests can run it in-process. The Node.js check comes
// first and the program is imported only after it, so an unsupported Node.js gets one line, not the SDK's warning.
import { ExitCode } from "./errors.js";
import { nodeSupport } from "./node-support.js";

const node = nodeSupport(process.version);
if (node.supported) {
  const [{ processIo }, { run }] = await Promise.all([import("./io.js"), import("./program.js")]);
  process.exitCode = await run(process.argv.slice(2), processIo());
} else {
  process.stderr.write(`nativelink-aws: ${node.problem}\n`);
  process.exitCode = ExitCode.usage;
}
