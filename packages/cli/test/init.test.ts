// `init` scaffolds the quick start; the test compiles and synthesizes it against the workspace's packages.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { SCAFFOLD_DEPENDENCIES, SCAFFOLD_DEV_DEPENDENCIES } from "../src/init/versions.js";
import { mainTs, packageNameFor, scaffoldFiles } from "../src/init/templates.js";
import { runCli } from "./support/run-cli.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const manifest = (path: string) =>
  JSON.parse(readFileSync(join(repoRoot, path, "package.json"), "utf8")) as { version: string; peerDependencies?: Record<string, string> };
const deploymentBuilt = existsSync(join(repoRoot, "packages/deployment/dist/index.js"));

describe("init", () => {
  it("writes package.json, tsconfig.json, cdktf.json, main.ts, README.md and .gitignore", async () => {
    const parent = mkdtempSync(join(tmpdir(), "init-"));
    const result = await runCli(["init", "My Cluster", "--deployment", "ci-cache"], { cwd: parent });
    expect(result.code).toBe(0);
    const dir = join(parent, "My Cluster");
    for (const file of ["package.json", "tsconfig.json", "cdktf.json", "main.ts", "README.md", ".gitignore"]) expect(existsSync(join(dir, file))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
      name: string;
      type: string;
      dependencies: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(pkg).toMatchObject({ name: "my-cluster", type: "module", scripts: { synth: "tsc && node dist/main.js" } });
    expect(Object.keys(pkg.dependencies).sort()).toEqual(["@cdktf/provider-aws", "@nativelink-aws/deployment", "cdktf", "constructs"]);
    expect(JSON.parse(readFileSync(join(dir, "cdktf.json"), "utf8"))).toMatchObject({ language: "typescript", app: "node dist/main.js", output: "cdktf.out" });
    const main = readFileSync(join(dir, "main.ts"), "utf8");
    expect(main).toContain('    name: "ci-cache", // every physical name derives from it\n');
    expect(main).toContain('images: { lockFile: "images.lock.json" }');
    expect(main).toContain('new LocalBackend(stack, { path: "../../../terraform.nativelink.tfstate" });');
    expect(readFileSync(join(dir, ".gitignore"), "utf8").split("\n")).toEqual(expect.arrayContaining(["cdktf.out/", "*.tfstate", "*.tfstate.*"]));
  });

  it("prints the next steps, and that until the packages are on npm they install from tarballs packed in a clone", async () => {
    const parent = mkdtempSync(join(tmpdir(), "init-next-"));
    const result = await runCli(["init", "app"], { cwd: parent });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Next: cd app && npm install, then follow README.md (preflight, images lock, certs, synth, terraform apply, bazelrc).");
    expect(result.stdout).toContain("Not yet published to npm");
    expect(result.stdout).toContain("npm pack -w packages --pack-destination ~/nativelink-aws-packages");
    expect(result.stdout).toContain("npm install ~/nativelink-aws-packages/*.tgz");
    // The package READMEs say the same.
    for (const name of ["ami-builder", "autoscaler", "cli", "constructs", "deployment", "dns-lambda", "nativelink-config"]) {
      const readme = readFileSync(join(repoRoot, "packages", name, "README.md"), "utf8");
      expect(readme.split("\n").slice(0, 4).join("\n"), name).toContain("> **Not yet published to npm.**");
      expect(readme, name).toContain("npm install ~/nativelink-aws-packages/*.tgz");
    }
  });

  it("writes a README whose steps come in the order they must run", () => {
    const readme = scaffoldFiles({ packageName: "x", deployment: "ci-cache" })["README.md"]!;
    const steps = [
      "npx nativelink-aws preflight --domain",
      "npx nativelink-aws images lock --out images.lock.json",
      "npx nativelink-aws certs init --deployment ci-cache",
      "npx nativelink-aws certs publish --deployment ci-cache --out client-ca",
      "npx nativelink-aws certs issue --deployment ci-cache",
      "npm run synth",
      "terraform init",
      "terraform apply -var base_domain=",
      "npx nativelink-aws bazelrc --outputs outputs.json --client-dir",
      "preventBucketDestroy: false",
      "cd cdktf.out/stacks/nativelink\nnpx nativelink-aws purge --outputs outputs.json --deployment ci-cache",
      "terraform destroy -var base_domain=",
      "BucketNotEmpty",
    ];
    const positions = steps.map((step) => readme.indexOf(step));
    expect(positions.filter((position) => position < 0)).toEqual([]);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it("scaffolds exactly examples/quick-start/main.ts (with name only for another deployment)", () => {
    expect(mainTs("nativelink")).toBe(readFileSync(join(repoRoot, "examples/quick-start/main.ts"), "utf8"));
    expect(mainTs("ci-cache").replace('    name: "ci-cache", // every physical name derives from it\n', "")).toBe(mainTs("nativelink"));
  });

  it("depends on the workspace's package versions and the cdktf versions the packages peer with", () => {
    const caret = (version: string) => `^${version}`;
    expect(SCAFFOLD_DEPENDENCIES["@nativelink-aws/deployment"]).toBe(caret(manifest("packages/deployment").version));
    expect(SCAFFOLD_DEV_DEPENDENCIES["@nativelink-aws/cli"]).toBe(caret(manifest("packages/cli").version));
    const peers = manifest("packages/deployment").peerDependencies ?? {};
    for (const name of ["cdktf", "constructs", "@cdktf/provider-aws"] as const) expect(SCAFFOLD_DEPENDENCIES[name]).toBe(peers[name]);
  });

  it.skipIf(!deploymentBuilt)(
    "the scaffold compiles, synthesizes a complete stack, and without images.lock.json and client-ca/ says what to run",
    async () => {
      // Inside the repository, so that node and tsc resolve the workspace's packages as `npm install` would.
      const parent = join(repoRoot, "node_modules/.cache/nativelink-aws-init-test");
      mkdirSync(parent, { recursive: true });
      const dir = mkdtempSync(join(parent, "app-"));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      expect((await runCli(["init", dir])).code).toBe(0);
      execFileSync(process.execPath, [join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", dir], { cwd: dir, stdio: "pipe" });

      const pending = spawnSync(process.execPath, ["dist/main.js"], { cwd: dir, encoding: "utf8" });
      expect(pending.status, pending.stderr).toBe(0);
      expect(pending.stderr).toContain(
        "No images lock file at images.lock.json in the folder synthesis runs in (the app's): " +
          "there, run `npx nativelink-aws images lock --out images.lock.json`",
      );
      expect(pending.stderr).toContain(
        "No client CA directory at client-ca in the folder synthesis runs in (the app's): there, run `npx nativelink-aws certs init --deployment nativelink`",
      );
      copyFileSync(join(repoRoot, "tools/fixtures/images.lock.json"), join(dir, "images.lock.json"));
      // The client CAs as the README's steps make them: the PKI outside the repository, its public half published into the app.
      const pkiDir = join(mkdtempSync(join(tmpdir(), "init-pki-")), "pki");
      expect((await runCli(["certs", "init", "--pki-dir", pkiDir])).code).toBe(0);
      expect((await runCli(["certs", "publish", "--pki-dir", pkiDir, "--out", join(dir, "client-ca")])).code).toBe(0);
      execFileSync(process.execPath, ["dist/main.js"], { cwd: dir, stdio: "pipe" });
      const stackFile = join(dir, "cdktf.out/stacks/nativelink/cdk.tf.json");
      const stack = JSON.parse(readFileSync(stackFile, "utf8")) as {
        variable: Record<string, unknown>;
        terraform: { backend: unknown };
        output: Record<string, unknown>;
      };
      expect(Object.keys(stack.variable)).toEqual(["base_domain"]);
      expect(stack.terraform.backend).toEqual({ local: { path: "../../../terraform.nativelink.tfstate" } });
      expect(stack.output).toHaveProperty("bazel_flags");
      expect(readFileSync(stackFile, "utf8")).not.toContain(dir);
      // The completeness and security rules, on the synthesized JSON (the CLI itself never loads cdktf).
      const check = `import { readFileSync } from "node:fs";
      import { checkTerraformJson } from "@nativelink-aws/constructs";
      const findings = checkTerraformJson(JSON.parse(readFileSync(${JSON.stringify(stackFile)}, "utf8")));
      process.stdout.write(JSON.stringify(findings.filter((finding) => !finding.suppressed).map((finding) => finding.message)));`;
      expect(JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", check], { cwd: dir, encoding: "utf8" }))).toEqual([]);
    },
    120_000,
  );

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
    expect(readFileSync(join(dir, "main.ts"), "utf8")).toContain("NativeLinkDeployment");
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
