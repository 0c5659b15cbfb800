// `init` scaffolds a cdktf app; the test compiles and synthesizes it against the workspace's packages.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SCAFFOLD_DEPENDENCIES, SCAFFOLD_DEV_DEPENDENCIES } from "../src/init/versions.js";
import { packageNameFor } from "../src/init/templates.js";
import { runCli } from "./support/run-cli.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const manifest = (path: string) => JSON.parse(readFileSync(join(repoRoot, path, "package.json"), "utf8")) as { version: string; peerDependencies?: Record<string, string> };
const constructsBuilt = existsSync(join(repoRoot, "packages/constructs/dist/index.js"));

describe("init", () => {
  it("writes package.json, tsconfig.json, cdktf.json, main.ts and README.md", async () => {
    const parent = mkdtempSync(join(tmpdir(), "init-"));
    const result = await runCli(["init", "My Cluster", "--deployment", "ci-cache"], { cwd: parent });
    expect(result.code).toBe(0);
    const dir = join(parent, "My Cluster");
    for (const file of ["package.json", "tsconfig.json", "cdktf.json", "main.ts", "README.md", ".gitignore"]) expect(existsSync(join(dir, file))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string; type: string; dependencies: Record<string, string>; scripts: Record<string, string> };
    expect(pkg).toMatchObject({ name: "my-cluster", type: "module", scripts: { synth: "tsc && node dist/main.js" } });
    expect(Object.keys(pkg.dependencies).sort()).toEqual(["@cdktf/provider-aws", "@nativelink-aws/constructs", "@nativelink-aws/nativelink-config", "cdktf", "constructs"]);
    expect(JSON.parse(readFileSync(join(dir, "cdktf.json"), "utf8"))).toMatchObject({ language: "typescript", app: "node dist/main.js", output: "cdktf.out" });
    const main = readFileSync(join(dir, "main.ts"), "utf8");
    expect(main).toContain('const deployment = "ci-cache";');
    for (const variable of ["base_domain", "ami_id_x86_64", "ami_id_arm64"]) expect(main).toContain(`variable("${variable}"`);
    expect(main).toContain("new NativeLinkCluster(stack");
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    expect(readme).toContain("npx nativelink-aws preflight --domain");
    expect(readme).toContain("terraform apply -var base_domain=");
    expect(readme).toContain("npx nativelink-aws purge --outputs outputs.json --deployment ci-cache");
  });

  it("depends on the workspace's package versions and the cdktf versions constructs peers with", () => {
    const caret = (version: string) => `^${version}`;
    expect(SCAFFOLD_DEPENDENCIES["@nativelink-aws/constructs"]).toBe(caret(manifest("packages/constructs").version));
    expect(SCAFFOLD_DEPENDENCIES["@nativelink-aws/nativelink-config"]).toBe(caret(manifest("packages/nativelink-config").version));
    expect(SCAFFOLD_DEV_DEPENDENCIES["@nativelink-aws/cli"]).toBe(caret(manifest("packages/cli").version));
    const peers = manifest("packages/constructs").peerDependencies ?? {};
    for (const name of ["cdktf", "constructs", "@cdktf/provider-aws"] as const) expect(SCAFFOLD_DEPENDENCIES[name]).toBe(peers[name]);
  });

  it.skipIf(!constructsBuilt)("the scaffold compiles and synthesizes a stack with the three variables", async () => {
    const dir = mkdtempSync(join(tmpdir(), "init-synth-"));
    expect((await runCli(["init"], { cwd: dir })).code).toBe(0);
    // The workspace's installed packages stand in for `npm install`.
    symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"), "dir");
    execFileSync(process.execPath, [join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", dir], { cwd: dir, stdio: "pipe" });
    execFileSync(process.execPath, ["dist/main.js"], { cwd: dir, stdio: "pipe" });
    const stack = JSON.parse(readFileSync(join(dir, "cdktf.out/stacks/nativelink/cdk.tf.json"), "utf8")) as {
      variable: Record<string, unknown>;
      provider: { aws: { default_tags: { tags: Record<string, string> }[] }[] };
      output: Record<string, unknown>;
    };
    expect(Object.keys(stack.variable).sort()).toEqual(["ami_id_arm64", "ami_id_x86_64", "base_domain"]);
    expect(stack.provider.aws[0]?.default_tags[0]?.tags).toEqual({ "nativelink:deployment": "nativelink", "managed-by": "nativelink-aws" });
    expect(stack.output).toHaveProperty("cas_bucket_name");
  }, 120_000);

  it("never overwrites without --force (exit 4), and does with it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "init-force-"));
    writeFileSync(join(dir, "main.ts"), "// mine\n");
    const refused = await runCli(["init", "."], { cwd: dir });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain("not overwriting main.ts: pass --force to replace it");
    expect(readFileSync(join(dir, "main.ts"), "utf8")).toBe("// mine\n");
    expect(existsSync(join(dir, "package.json"))).toBe(false);
    const forced = await runCli(["init", ".", "--force"], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, "main.ts"), "utf8")).toContain("NativeLinkCluster");
  });

  it.each([
    ["My Cluster", "my-cluster"],
    ["..weird__Name!!", "weird__name"],
    ["***", "nativelink-deployment"],
  ])("package name for directory %j is %j", (directory, name) => {
    expect(packageNameFor(directory)).toBe(name);
  });

  it("a bad deployment name is a usage error (exit 2)", async () => {
    const result = await runCli(["init", mkdtempSync(join(tmpdir(), "init-bad-")), "--deployment", "Not_Valid"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--deployment: "Not_Valid" is not a deployment name/);
  });
});
