// Vitest globalSetup: the binaries the suite runs, found (or downloaded and verified) once per run. Without them the
// run fails here with a message saying how to get them: the suite never skips.
import type { TestProject } from "vitest/node";
import { resolveBinary } from "./binaries.js";
import { requireRoot } from "./namespaces.js";

declare module "vitest" {
  export interface ProvidedContext {
    nativelinkBin: string;
    otelcolBin: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  requireRoot();
  const nativelink = await resolveBinary("nativelink");
  const otelcol = await resolveBinary("otelcol");
  process.stderr.write(`tests/e2e: NativeLink ${nativelink.path} (${nativelink.source}); collector ${otelcol.path} (${otelcol.source})\n`);
  project.provide("nativelinkBin", nativelink.path);
  project.provide("otelcolBin", otelcol.path);
}
