// The built binary: `nativelink-aws` → dist/main.js, executable, with a shebang; exit codes end to end.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { freePort } from "./support/fake-tools.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const main = join(packageDir, "dist", "main.js");
const quietSdk = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
const runBin = (args: string[], env: Record<string, string> = {}, cwd = packageDir) =>
  spawnSync(process.execPath, [main, ...args], { cwd, encoding: "utf8", env: { ...process.env, ...quietSdk, ...env }, timeout: 60_000 });

describe("bin", () => {
  it("package.json's bin points at dist/main.js, which is executable and starts with a node shebang", () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { bin: Record<string, string> };
    expect(manifest.bin).toEqual({ "nativelink-aws": "./dist/main.js" });
    expect(readFileSync(main, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(statSync(main).mode & 0o111).toBe(0o111);
  });

  it("node dist/main.js --help exits 0 with the usage", () => {
    const result = runBin(["--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Usage: nativelink-aws [options] [command]");
  });

  it("runs directly through its shebang", () => {
    const result = spawnSync(main, ["bazelrc", "--domain", "build.example.com"], { encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("build --remote_cache=grpcs://cas.build.example.com");
  });

  it("exit codes: 2 for usage, 3 when AWS cannot be reached, 4 when refusing to overwrite", async () => {
    expect(runBin(["purge", "--nope"]).status).toBe(2);
    const closedPort = await freePort();
    const unreachable = runBin(["purge", "--bucket", "some-bucket", "--dry-run"], {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${closedPort}`, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing",
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
