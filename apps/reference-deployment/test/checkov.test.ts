import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { App } from "cdktf";
import { beforeAll, describe, expect, it } from "vitest";
import { ReferenceDeployment } from "../src/reference-deployment.js";

const appRoot = fileURLToPath(new URL("..", import.meta.url));
const workspaceRoot = join(appRoot, "../..");
const checkov = join(workspaceRoot, ".venv/checkov/bin/checkov");
const configFile = join(appRoot, ".checkov.yaml");
const FIXTURE_LOCK = join(workspaceRoot, "tools/fixtures/images.lock.json");
const FIXTURE_CLIENT_CA = join(workspaceRoot, "tools/fixtures/client-ca");

interface CheckovReport {
  summary: { passed: number; failed: number; skipped: number; parsing_errors: number };
  results: { failed_checks: { check_id: string; resource: string }[] };
}

/**
 * Synthesizes the reference stack into a temp dir and returns its cdk.tf.json path: as a fresh clone does (images and
 * client CAs pending), or ready to deploy (baking from a lock, trust stores from a published client CA directory).
 */
function synthesize(ready: boolean): string {
  const outdir = mkdtempSync(join(tmpdir(), "checkov-"));
  const app = new App({ outdir });
  new ReferenceDeployment(app, "nativelink", {
    imagesLockFile: ready ? FIXTURE_LOCK : join(outdir, "no-images.lock.json"),
    clientCaDirectory: ready ? FIXTURE_CLIENT_CA : join(outdir, "no-client-ca"),
  });
  app.synth();
  const file = join(outdir, "stacks/nativelink/cdk.tf.json");
  // checkov 3.3.30's terraform_json parser rejects the whole file over `terraform.required_version` (a parsing error,
  // no checks run); the key constrains Terraform only, so the scan reads the stack without it.
  const stack = JSON.parse(readFileSync(file, "utf8")) as { terraform: Record<string, unknown> };
  expect(stack.terraform.required_version).toBeDefined();
  delete stack.terraform.required_version;
  writeFileSync(file, JSON.stringify(stack));
  return file;
}

function scan(file: string, args: string[]): CheckovReport {
  let out: string;
  try {
    // Run from the stack folder: checkov would otherwise pick up .checkov.yaml from the working directory.
    out = execFileSync(checkov, ["-f", file, "--framework", "terraform_json", "-o", "json", "--skip-download", ...args], {
      cwd: dirname(file),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const failure = error as { stdout: string; stderr: string; status: number };
    if (failure.status !== 1) throw new Error(`checkov exited ${failure.status} on ${file}: ${failure.stderr.slice(-2000)}`, { cause: error });
    out = failure.stdout; // exit 1 when checks fail
  }
  const parsed = JSON.parse(out) as CheckovReport | CheckovReport[];
  return Array.isArray(parsed) ? parsed[0]! : parsed;
}

const skipped = readFileSync(configFile, "utf8")
  .split("\n")
  .filter((line) => /^\s+- CKV/.test(line))
  .map((line) => {
    const [, id, reason] = /^\s+- (CKV\w+)\s*(?:#\s*(.*))?$/.exec(line)!;
    return { id: id!, reason: reason ?? "" };
  });

describe("checkov on the synthesized reference stack", () => {
  const stacks: Record<string, string> = {};
  beforeAll(() => {
    execFileSync("node", [join(workspaceRoot, "tools/python/ensure-venv.mjs")], { stdio: "inherit" });
    stacks.pending = synthesize(false);
    stacks.ready = synthesize(true);
  }, 600_000);

  it.each(["pending", "ready"])(
    "has zero failed checks (%s: images and client CAs)",
    (mode) => {
      const report = scan(stacks[mode]!, ["--config-file", configFile]);
      const unskipped = scan(stacks[mode]!, ["--check", skipped.map((s) => s.id).join(",")]);
      console.log(
        `checkov ${mode}: passed ${report.summary.passed}, failed ${report.summary.failed}, ` +
          `skipped ${unskipped.summary.failed} (resource checks of ${skipped.length} configured skips)`,
      );
      expect(report.summary.parsing_errors).toBe(0);
      expect(report.results.failed_checks).toEqual([]);
      expect(report.summary.passed).toBeGreaterThan(300);
    },
    120_000,
  );

  it("gives every skipped check a reason", () => {
    expect(skipped.length).toBeGreaterThan(0);
    for (const { id, reason } of skipped) expect(reason.length, `${id} needs a reason`).toBeGreaterThan(30);
  });

  it("skips no check that would pass anyway (no stale skips)", () => {
    const failing = new Set(
      Object.values(stacks).flatMap((file) => scan(file, ["--check", skipped.map((s) => s.id).join(",")]).results.failed_checks.map((f) => f.check_id)),
    );
    expect(skipped.map((s) => s.id).filter((id) => !failing.has(id))).toEqual([]);
  }, 120_000);
});
