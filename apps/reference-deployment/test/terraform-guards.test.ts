// The pending-input guards, run through Terraform itself: `terraform plan` stops with "Resource precondition failed"
// and the guard's exact message. Only the guards go in (terraform_data is built into Terraform, so no provider and no
// registry is needed); skipped, saying so, where no `terraform` is installed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { MINIMUM_TERRAFORM_VERSION, ReferenceDeployment } from "../src/reference-deployment.js";

interface Synthesized {
  terraform: { required_version: string };
  locals?: Record<string, unknown>;
  resource: Record<string, Record<string, Record<string, unknown>>>;
}

const terraformVersion = spawnSync("terraform", ["version", "-json"], { encoding: "utf8" });
const installed = terraformVersion.status === 0;
if (!installed) console.warn("terraform-guards.test.ts: skipped, no `terraform` on PATH (install Terraform 1.5 or later to run it)");

function terraform(dir: string, args: string[]) {
  // An empty CLI configuration: no plugin cache or mirror of this machine; nothing here needs one.
  const config = join(dir, "terraform.rc");
  writeFileSync(config, "");
  const env: NodeJS.ProcessEnv = { ...process.env, TF_CLI_CONFIG_FILE: config, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
  for (const name of ["TF_LOG", "TF_PLUGIN_CACHE_DIR", "TF_DATA_DIR", "TF_WORKSPACE"]) delete env[name];
  return spawnSync("terraform", args, { cwd: dir, encoding: "utf8", env, timeout: 120_000 });
}

/** The synthesized stack's guards, the locals they read and its required_version: a configuration of their own. */
function guardsOnly(stack: Synthesized): { config: object; messages: string[] } {
  // PendingInput's guards (Testing.synth drops their `//` marker): input "pending" and a precondition.
  const guards = Object.fromEntries(
    Object.entries(stack.resource.terraform_data ?? {}).filter(([, guard]) => guard.input === "pending" && guard.lifecycle !== undefined),
  );
  const localNames = new Set([...JSON.stringify(guards).matchAll(/\blocal\.(\w+)/g)].map((match) => match[1]!));
  const locals = Object.fromEntries(Object.entries(stack.locals ?? {}).filter(([name]) => localNames.has(name)));
  const messages = Object.values(guards).map((guard) => (guard.lifecycle as { precondition: { error_message: string }[] }).precondition[0]!.error_message);
  return {
    config: { terraform: { required_version: stack.terraform.required_version }, locals, resource: { terraform_data: guards } },
    messages,
  };
}

describe.skipIf(!installed)("the pending-input guards in Terraform", () => {
  it(`this Terraform satisfies the stack's required_version (${MINIMUM_TERRAFORM_VERSION})`, () => {
    const version = (JSON.parse(terraformVersion.stdout) as { terraform_version: string }).terraform_version;
    const [major, minor] = version.split(".").map(Number) as [number, number];
    const [wantedMajor, wantedMinor] = /^>= (\d+)\.(\d+)\.0$/.exec(MINIMUM_TERRAFORM_VERSION)!.slice(1).map(Number) as [number, number];
    expect(major > wantedMajor || (major === wantedMajor && minor >= wantedMinor), version).toBe(true);
  });

  it("terraform plan stops at each guard with its exact message (no images lock, no client CA directory)", () => {
    const stack = new ReferenceDeployment(Testing.app(), "nativelink", { imagesLockFile: "missing/images.lock.json", clientCaDirectory: "missing/client-ca" });
    const { config, messages } = guardsOnly(JSON.parse(Testing.synth(stack)) as Synthesized);
    expect(messages).toHaveLength(2);
    expect(messages.join("\n")).toContain("run `npx nativelink-aws images lock --out missing/images.lock.json`");

    const dir = mkdtempSync(join(tmpdir(), "terraform-guards-"));
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify(config, null, 2));
    const init = terraform(dir, ["init", "-backend=false", "-input=false", "-no-color"]);
    expect(init.stderr + init.stdout).toContain("Terraform has been successfully initialized");
    expect(init.status).toBe(0);

    const plan = terraform(dir, ["plan", "-input=false", "-json"]);
    expect(plan.status).toBe(1);
    const diagnostics = plan.stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { "@level": string; diagnostic?: { summary: string; detail: string } })
      .flatMap((entry) => (entry["@level"] === "error" && entry.diagnostic ? [entry.diagnostic] : []));
    expect(diagnostics.map((diagnostic) => diagnostic.summary)).toEqual(messages.map(() => "Resource precondition failed"));
    expect(diagnostics.map((diagnostic) => diagnostic.detail).sort()).toEqual([...messages].sort());
  });
});
