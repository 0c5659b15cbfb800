// `local-proxy init` writes tools/bazel and the CAS config; the wrapper is then run for real with fake
// `bazel` and `nativelink` executables on PATH.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeTools, freePort, portOpen, type FakeTools } from "./support/fake-tools.js";
import { runCli } from "./support/run-cli.js";

const startedPids: number[] = [];
afterAll(() => {
  // Only the fake CAS processes these tests started, by pid.
  for (const pid of startedPids) {
    try {
      process.kill(pid);
    } catch {
      // already gone
    }
  }
});

describe("local-proxy init", () => {
  let workspace: string;
  let port: number;
  let fakes: FakeTools;
  let stateDir: string;

  /** What the wrapper adds after the command: the local CAS and the instance name it serves (init's default, main). */
  const remoteFlags = () => [`--remote_cache=grpc://localhost:${port}`, "--remote_instance_name=main"];

  const runWrapper = (args: string[], env: Record<string, string> = {}) => {
    const result = spawnSync(join(workspace, "tools", "bazel"), args, {
      cwd: workspace,
      encoding: "utf8",
      env: { PATH: `${fakes.bin}:${process.env.PATH ?? ""}`, HOME: workspace, NATIVELINK_LOCAL_CAS_STATE_DIR: stateDir, ...env },
      timeout: 20_000,
    });
    const pidFile = join(stateDir, `local-cas-${port}.pid`);
    if (existsSync(pidFile)) startedPids.push(Number(readFileSync(pidFile, "utf8").trim()));
    return result;
  };

  beforeAll(async () => {
    workspace = mkdtempSync(join(tmpdir(), "local-proxy-"));
    stateDir = join(workspace, "state");
    port = await freePort();
    fakes = createFakeTools(workspace);
    const result = await runCli(
      ["local-proxy", "init", "--bucket", "nativelink-cas-bucket", "--region", "eu-west-1", "--port", String(port), "--cache-dir", "cas-cache"],
      { cwd: workspace },
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("writes an executable tools/bazel and a CAS config for the bucket, region, port and disk cache", () => {
    expect(statSync(join(workspace, "tools", "bazel")).mode & 0o777).toBe(0o755);
    const config = readFileSync(join(workspace, "tools", "nativelink-local-cas.json5"), "utf8");
    expect(config).toContain('bucket: "nativelink-cas-bucket"');
    expect(config).toContain('region: "eu-west-1"');
    expect(config).toContain(`socket_address: "127.0.0.1:${port}"`);
    expect(config).toContain(`content_path: "${join(workspace, "cas-cache")}/`);
  });

  it.skipIf(spawnSync("shellcheck", ["--version"]).status !== 0)("the wrapper passes shellcheck", () => {
    const result = spawnSync("shellcheck", [join(workspace, "tools", "bazel")], { encoding: "utf8" });
    expect(result.stdout).toBe("");
    expect(result.status).toBe(0);
  });

  it("starts the CAS when none runs, then runs bazel with --remote_cache on localhost and the user's arguments", async () => {
    const result = runWrapper(["build", "//app:server", "--config=ci", "//path with spaces:x"]);
    expect(result.stderr).toContain(`started the local CAS on port ${port}`);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("fake bazel ran");
    expect(fakes.nativelinkStarts()).toEqual([join(workspace, "tools", "nativelink-local-cas.json5")]);
    expect(fakes.bazelCalls().at(-1)).toEqual(["build", ...remoteFlags(), "//app:server", "--config=ci", "//path with spaces:x"]);
    expect(await portOpen(port)).toBe(true);
  });

  it("does not start a second CAS while one is running", () => {
    const result = runWrapper(["test", "//..."]);
    expect(result.status).toBe(0);
    expect(result.stderr).not.toContain("started the local CAS");
    expect(fakes.nativelinkStarts()).toHaveLength(1);
    expect(fakes.bazelCalls().at(-1)).toEqual(["test", ...remoteFlags(), "//..."]);
  });

  it("keeps startup options before the command, and passes commands without build options through untouched", () => {
    runWrapper(["--output_base=/tmp/ob", "coverage", "//lib:all"]);
    expect(fakes.bazelCalls().at(-1)).toEqual(["--output_base=/tmp/ob", "coverage", ...remoteFlags(), "//lib:all"]);
    runWrapper(["version"]);
    expect(fakes.bazelCalls().at(-1)).toEqual(["version"]);
    runWrapper([]);
    expect(fakes.bazelCalls().at(-1)).toEqual([]);
  });

  it("runs $BAZEL_REAL when Bazel's wrapper mechanism sets it", () => {
    const other = createFakeTools(workspace, "realbin");
    const result = runWrapper(["build", "//x"], { BAZEL_REAL: join(other.bin, "bazel") });
    expect(result.status).toBe(0);
    expect(other.bazelCalls()).toEqual([["build", ...remoteFlags(), "//x"]]);
  });

  it("skips itself when it is on PATH as bazel", () => {
    const selfDir = join(workspace, "selfbin");
    mkdirSync(selfDir);
    symlinkSync(join(workspace, "tools", "bazel"), join(selfDir, "bazel"));
    const calls = fakes.bazelCalls().length;
    const result = runWrapper(["info"], { PATH: `${selfDir}:${fakes.bin}:${process.env.PATH ?? ""}` });
    expect(result.status).toBe(0);
    expect(fakes.bazelCalls()).toHaveLength(calls + 1);
  });

  it("starts a new CAS when the previous one has died (stale pid file, closed port)", async () => {
    const pid = Number(readFileSync(join(stateDir, `local-cas-${port}.pid`), "utf8"));
    process.kill(pid);
    for (let tries = 0; tries < 50 && (await portOpen(port)); tries += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    const result = runWrapper(["build", "//x"]);
    expect(result.status).toBe(0);
    expect(fakes.nativelinkStarts()).toHaveLength(2);
  });

  it("a second Bazel command while the CAS is still starting waits for it instead of starting another", async () => {
    const other = mkdtempSync(join(tmpdir(), "local-proxy-race-"));
    const racePort = await freePort();
    expect(
      (await runCli(["local-proxy", "init", "--bucket", "nativelink-cas-bucket", "--region", "eu-west-1", "--port", String(racePort)], { cwd: other })).code,
    ).toBe(0);
    const slow = createFakeTools(other);
    // Not the caller's NATIVELINK_BIN (.ci/run sets it for tests/e2e): the wrapper must find the fake nativelink on PATH.
    const { NATIVELINK_BIN: _callers, ...inherited } = process.env;
    const env = { ...inherited, PATH: `${slow.bin}:${process.env.PATH ?? ""}`, NATIVELINK_LOCAL_CAS_STATE_DIR: other, FAKE_NATIVELINK_DELAY: "1" };
    const run = () =>
      new Promise<number | null>((resolve) => spawn(join(other, "tools", "bazel"), ["build", "//x"], { env, stdio: "ignore" }).on("exit", resolve));
    const first = run();
    const pidFile = join(other, `local-cas-${racePort}.pid`);
    while (!existsSync(pidFile)) await new Promise((resolve) => setTimeout(resolve, 20));
    startedPids.push(Number(readFileSync(pidFile, "utf8").trim()));
    const second = run();
    expect(await Promise.all([first, second])).toEqual([0, 0]);
    expect(slow.nativelinkStarts()).toHaveLength(1);
    expect(slow.bazelCalls()).toHaveLength(2);
  });

  it("says how to install NativeLink when it is not on PATH (exit 1, bazel not run)", async () => {
    const other = mkdtempSync(join(tmpdir(), "local-proxy-missing-"));
    const init = await runCli(["local-proxy", "init", "--bucket", "nativelink-cas-bucket", "--region", "eu-west-1", "--port", String(await freePort())], {
      cwd: other,
    });
    expect(init.code).toBe(0);
    const calls = fakes.bazelCalls().length;
    const result = spawnSync(join(other, "tools", "bazel"), ["build", "//x"], {
      encoding: "utf8",
      env: { PATH: `${fakes.bin}:${process.env.PATH ?? ""}`, HOME: other, NATIVELINK_LOCAL_CAS_STATE_DIR: other, NATIVELINK_BIN: join(other, "no-nativelink") },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("not found: install NativeLink (https://github.com/TraceMachina/nativelink/releases) or set NATIVELINK_BIN");
    expect(fakes.bazelCalls()).toHaveLength(calls);
  });

  it("never overwrites without --force (exit 4), and does with it", async () => {
    const before = readFileSync(join(workspace, "tools", "bazel"), "utf8");
    const refused = await runCli(["local-proxy", "init", "--bucket", "other-bucket", "--region", "eu-west-1", "--port", "50100"], { cwd: workspace });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain("not overwriting tools/bazel, tools/nativelink-local-cas.json5: pass --force to replace them");
    expect(readFileSync(join(workspace, "tools", "bazel"), "utf8")).toBe(before);
    const forced = await runCli(
      ["local-proxy", "init", "--bucket", "other-bucket", "--region", "eu-west-1", "--port", "50100", "--dir", "elsewhere", "--force"],
      { cwd: workspace },
    );
    expect(forced.code).toBe(0);
    expect(readFileSync(join(workspace, "elsewhere", "tools", "bazel"), "utf8")).toContain("port=50100");
  });

  it("passes the instance name it was given (--instance-name, else the outputs' remote_instance_name) to Bazel", async () => {
    for (const [source, args, expected] of [
      ["--instance-name", ["--instance-name", "team/main"], "team/main"],
      ["outputs", ["--outputs", "outputs.json"], "ci.remote"],
    ] as const) {
      const directory = join(workspace, `instance-${source}`);
      mkdirSync(directory);
      writeFileSync(join(directory, "outputs.json"), JSON.stringify({ remote_instance_name: { value: "ci.remote" } }));
      const result = await runCli(["local-proxy", "init", "--bucket", "ci-cas-bucket", "--region", "eu-west-1", "--port", String(port), ...args], {
        cwd: directory,
      });
      expect(result.code).toBe(0);
      expect(readFileSync(join(directory, "tools", "nativelink-local-cas.json5"), "utf8")).toContain(`instance_name: "${expected}"`);
      const calls = fakes.bazelCalls().length;
      const run = spawnSync(join(directory, "tools", "bazel"), ["build", "//x"], {
        cwd: directory,
        encoding: "utf8",
        env: { PATH: `${fakes.bin}:${process.env.PATH ?? ""}`, HOME: directory, NATIVELINK_LOCAL_CAS_STATE_DIR: stateDir },
        timeout: 20_000,
      });
      expect(run.status).toBe(0);
      expect(fakes.bazelCalls().slice(calls)).toEqual([["build", `--remote_cache=grpc://localhost:${port}`, `--remote_instance_name=${expected}`, "//x"]]);
    }
  });

  it("refuses an outputs file whose remote_instance_name is no instance name (exit 2), writing nothing", async () => {
    const directory = join(workspace, "bad-instance");
    mkdirSync(directory);
    writeFileSync(join(directory, "outputs.json"), JSON.stringify({ remote_instance_name: { value: "main; rm -rf ~" } }));
    const result = await runCli(["local-proxy", "init", "--bucket", "ci-cas-bucket", "--region", "eu-west-1", "--outputs", "outputs.json"], { cwd: directory });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('outputs.json: remote_instance_name "main; rm -rf ~" is not an instance name');
    expect(existsSync(join(directory, "tools"))).toBe(false);
  });
});
