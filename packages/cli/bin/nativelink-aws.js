#!/usr/bin/env node
// The `nativelink-aws` executable. It is committed, so npm links it at install time even in a fresh clone where the
// CLI is not built yet (dist/ is git-ignored); it loads the built CLI, or says how to build it.
import { existsSync } from "node:fs";

const main = new URL("../dist/main.js", import.meta.url);
if (existsSync(main)) {
  await import(main.href);
} else {
  process.stderr.write("nativelink-aws is not built yet: run `npm run build` at the repository root\n");
  process.exitCode = 2;
}
