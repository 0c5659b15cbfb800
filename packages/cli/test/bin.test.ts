// The binary: `nativelink-aws` → the committed shim bin/nativelink-aws.js (so npm links it even before the first build),
// which loads dist/main.js; exit codes end to end; which Node.js it runs on, and no AWS SDK warning on a supported one.
import { CreateHostedZoneCommand, GetHostedZoneCommand, Route53Client } from "@aws-sdk/client-route-53";
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startDnsServer } from "./support/dns-server.js";
import { freePort } from "./support/fake-tools.js";
import { unique, useMoto } from "./support/moto.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const main = join(packageDir, "bin", "nativelink-aws.js");
const built = join(packageDir, "dist", "main.js");
/** The environment without anything that would hide the SDK's warnings. */
function childEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of ["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED", "NODE_NO_WARNINGS", "NODE_OPTIONS"]) delete env[name];
  return env;
}
const runBin = (args: string[], env: Record<string, string> = {}, cwd = packageDir) =>
  spawnSync(process.execPath, [main, ...args], { cwd, encoding: "utf8", env: childEnvironment(env), timeout: 60_000 });

/** Like runBin, without blocking the event loop: the test's DNS server must answer while the CLI runs. */
function runBinAsync(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...args], { cwd: packageDir, env: childEnvironment(env) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** An AWS SDK warning, or any other warning Node prints (deprecations included). */
const anyWarning = /will require node|NodeVersionSupportWarning|DeprecationWarning|ExperimentalWarning|Warning:/i;

describe("bin", () => {
  it("package.json's bin points at the committed shim bin/nativelink-aws.js: executable, a node shebang, and published", () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { bin: Record<string, string>; files: string[] };
    expect(manifest.bin).toEqual({ "nativelink-aws": "./bin/nativelink-aws.js" });
    expect(manifest.files).toContain("bin");
    // Committed, not built: npm links an executable at install time only if its target exists then.
    const tracked = spawnSync("git", ["ls-files", "--error-unmatch", "bin/nativelink-aws.js"], { cwd: packageDir, encoding: "utf8" });
    expect(tracked.status).toBe(0);
    for (const file of [main, built]) {
      expect(readFileSync(file, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
      expect(statSync(file).mode & 0o111).toBe(0o111);
    }
  });

  it("before the first build, the shim says how to build and exits 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "bin-unbuilt-"));
    mkdirSync(join(dir, "bin"));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    copyFileSync(main, join(dir, "bin", "nativelink-aws.js"));
    const result = spawnSync(process.execPath, [join(dir, "bin", "nativelink-aws.js"), "--version"], { encoding: "utf8", timeout: 60_000 });
    expect(result.stderr).toBe("nativelink-aws is not built yet: run `npm run build` at the repository root\n");
    expect(result.stdout).toBe("");
    expect(result.status).toBe(2);
  });

  it("node bin/nativelink-aws.js --help exits 0 with the usage", () => {
    const result = runBin(["--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Usage: nativelink-aws [options] [command]");
  });

  it("runs directly through its shebang", () => {
    // `env node` finds the Node.js running the tests first, as it would a user's.
    const PATH = `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}`;
    const result = spawnSync(main, ["bazelrc", "--domain", "build.example.com"], { encoding: "utf8", env: { ...process.env, PATH } });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("build --remote_cache=grpcs://cas.build.example.com");
  });

  it("exit codes: 2 for usage, 3 when AWS cannot be reached, 4 when refusing to overwrite", async () => {
    expect(runBin(["purge", "--nope"]).status).toBe(2);
    const closedPort = await freePort();
    const unreachable = runBin(["purge", "--bucket", "some-bucket", "--dry-run"], {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${closedPort}`,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
    });
    expect(unreachable.status).toBe(3);
    expect(unreachable.stderr).toMatch(/could not reach AWS|AWS request failed/);
    const dir = mkdtempSync(join(tmpdir(), "bin-init-"));
    writeFileSync(join(dir, "README.md"), "mine");
    const refused = runBin(["init", dir]);
    expect(refused.status).toBe(4);
    expect(refused.stderr).toContain("not overwriting");
  });
});

describe("Node.js version", () => {
  const { clientConfig, endpoint } = useMoto();

  it("on this (supported) Node.js, a command that calls AWS prints no SDK or deprecation warning", async () => {
    const route53 = new Route53Client(clientConfig);
    const domain = `bin-${unique()}.example.com`;
    const created = await route53.send(new CreateHostedZoneCommand({ Name: domain, CallerReference: unique() }));
    const zone = await route53.send(new GetHostedZoneCommand({ Id: created.HostedZone?.Id }));
    const dns = await startDnsServer({ [domain]: zone.DelegationSet?.NameServers ?? [] });
    try {
      const result = await runBinAsync(["preflight", "--domain", domain, "--resolver", dns.address], {
        AWS_ENDPOINT_URL: endpoint,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
      });
      expect(result.stderr).not.toMatch(anyWarning);
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/\[ok\] {3}credentials: account \d{12}/);
    } finally {
      await dns.close();
      route53.destroy();
    }
  });

  it("on an unsupported Node.js, refuses in one line with exit 2 before the AWS SDK loads", () => {
    // Pretends to be Node.js 20 for the CLI only: the check reads process.version.
    const pretend20 = "data:text/javascript,Object.defineProperty(process,'version',{value:'v20.19.0'})";
    const result = spawnSync(process.execPath, ["--import", pretend20, main, "preflight", "--domain", "example.com"], {
      encoding: "utf8",
      env: childEnvironment({ AWS_ENDPOINT_URL: endpoint, AWS_REGION: "us-east-1" }),
      timeout: 60_000,
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe("nativelink-aws: Node.js v20.19.0 is not supported; use Node.js 22.13 or later, or 24 or later (e.g. `nvm install 24`)\n");
  });
});
