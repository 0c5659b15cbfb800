// Synthesizes an example the way its main does, in a temporary app folder, and checks it with the whole rule pack.
import { copyFileSync, cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type CheckFinding, NativeLinkChecks } from "@nativelink-aws/constructs";
import { App, Aspects, type TerraformStack } from "cdktf";

export const FIXTURE_LOCK = fileURLToPath(new URL("../../tools/fixtures/images.lock.json", import.meta.url));
/** What `nativelink-aws certs publish` wrote for the deployment "nativelink" (public files only, tools/README.md). */
export const FIXTURE_CLIENT_CA = fileURLToPath(new URL("../../tools/fixtures/client-ca", import.meta.url));

export interface SynthesizedExample {
  /** The app folder: where synthesis ran, images.lock.json and client-ca/ lie (unless `withLock` / `withClientCa` is false). */
  readonly dir: string;
  readonly stack: TerraformStack;
  readonly json: {
    terraform: { backend: Record<string, Record<string, unknown>> };
    variable?: Record<string, unknown>;
    resource: Record<string, Record<string, Record<string, unknown>>>;
  };
  /** Every finding of the NativeLink rule pack, security and completeness, suppressed ones included. */
  readonly findings: CheckFinding[];
}

/** Runs `build` in a fresh app folder (cwd), with the fixtures as images.lock.json and client-ca/, through app.synth(). */
export function synthesizeExample(build: (app: App) => TerraformStack, options: { withLock?: boolean; withClientCa?: boolean } = {}): SynthesizedExample {
  const dir = mkdtempSync(join(tmpdir(), "example-"));
  if (options.withLock ?? true) copyFileSync(FIXTURE_LOCK, join(dir, "images.lock.json"));
  if (options.withClientCa ?? true) cpSync(FIXTURE_CLIENT_CA, join(dir, "client-ca"), { recursive: true });
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const app = new App({ outdir: join(dir, "cdktf.out") });
    const stack = build(app);
    const checks = new NativeLinkChecks();
    Aspects.of(stack).add(checks);
    app.synth();
    const json = JSON.parse(readFileSync(join(dir, "cdktf.out/stacks", stack.node.id, "cdk.tf.json"), "utf8")) as SynthesizedExample["json"];
    return { dir, stack, json, findings: checks.findings };
  } finally {
    process.chdir(cwd);
  }
}

/** Resources of one type. */
export function all(json: SynthesizedExample["json"], type: string): Record<string, unknown>[] {
  return Object.values(json.resource[type] ?? {});
}
