/**
 * nativelink-run-action under the real NativeLink worker (shared/bin) driven by a real Bazel build (genrules run
 * remotely). The worker is the worker preset with `actionRunner` pointing at the wrapper (and its stores' S3 side
 * swapped for the test's scheduler+CAS process); actions run as `nobody`, the action user this machine has.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PRESET_NAMES, parseConfig, renderConfig, workerConfig, type NativeLinkConfig } from "@nativelink-aws/nativelink-config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  NO_NATIVELINK_BINARY,
  freeLoopbackPorts,
  nativeLinkBinary,
  startNativeLink,
  type NativeLinkProcess,
} from "../../../tools/nativelink/nativelink-process.js";
import { BazelWorkspace, bazelAvailable, installActionRunner, processesWith, userId } from "./helpers/action-runner.js";

const ACTION_USER = "nobody";
const MAX_ACTION_TIMEOUT_SECONDS = 5;
const hasCompiler = spawnSync("cc", ["--version"], { stdio: "ignore" }).status === 0;
const missing = [
  process.getuid?.() !== 0 ? "root (NativeLink runs actions as root, the wrapper drops to nobody)" : undefined,
  nativeLinkBinary() ? undefined : NO_NATIVELINK_BINARY,
  bazelAvailable() ? undefined : "bazel (apt-get install -y bazel-bootstrap)",
].filter(Boolean);

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

/** Scheduler and CAS in one process, in memory: only the worker is under test. */
function serverConfig(publicPort: number, workerApiPort: number): string {
  return renderConfig(
    parseConfig({
      stores: [
        { name: "AC", memory: {} },
        { name: "CAS", memory: {} },
      ],
      schedulers: [{ name: "main", simple: {} }],
      servers: [
        {
          listener: { http: { socket_address: `127.0.0.1:${publicPort}` } },
          services: {
            cas: [{ cas_store: "CAS" }],
            ac: [{ ac_store: "AC" }],
            bytestream: [{ cas_store: "CAS" }],
            capabilities: [{ remote_execution: { scheduler: "main" } }],
            execution: [{ cas_store: "CAS", scheduler: "main" }],
          },
        },
        { listener: { http: { socket_address: `127.0.0.1:${workerApiPort}` } }, services: { worker_api: { scheduler: "main" } } },
      ],
    }),
  );
}

/** The worker preset as the cluster renders it, with the S3 stores replaced by the test server's gRPC stores. */
function workerConfigFor(mountPath: string, runner: string, publicPort: number, workerApiPort: number): string {
  const preset = workerConfig({
    mountPath,
    schedulerHost: "127.0.0.1",
    workerApiPort,
    maxActionTimeoutSeconds: MAX_ACTION_TIMEOUT_SECONDS,
    actionRunner: runner,
  });
  const grpc = (storeType: "cas" | "ac") => ({ grpc: { endpoints: [{ address: `grpc://127.0.0.1:${publicPort}` }], store_type: storeType } });
  const stores = preset.stores.map((store) => {
    if (store.name === PRESET_NAMES.acStore) return { name: store.name, ...grpc("ac") };
    if (!("fast_slow" in store)) throw new Error(`unexpected worker store ${store.name}`);
    return { name: store.name, fast_slow: { ...store.fast_slow, slow: grpc("cas") } };
  });
  return renderConfig(parseConfig({ ...preset, stores } as NativeLinkConfig));
}

describe.skipIf(missing.length > 0)(`nativelink-run-action on a real worker${missing.length ? ` (skipped: needs ${missing.join("; ")})` : ""}`, () => {
  const base = mkdtempSync(join(tmpdir(), "nativelink-run-action-"));
  const mountPath = join(base, "worker");
  const secret = join(base, "secret");
  const marker = `nl-leftover-${process.pid}`;
  let workspace: BazelWorkspace;
  let server: NativeLinkProcess;
  let worker: NativeLinkProcess;
  let publicPort: number;

  const build = (target: string, flags: readonly string[] = []) => workspace.build(publicPort, target, flags);
  /** The worker's cache files for some content: the plain blob and its executable copy (Bazel marks inputs executable). */
  const cacheFiles = (content: string) =>
    ["content_path-cas", "content_path-cas.exec"]
      .map((directory) => join(mountPath, directory, "d", `${sha256(content)}-${Buffer.byteLength(content)}`))
      .filter((path) => existsSync(path));

  beforeAll(async () => {
    chmodSync(base, 0o755); // the action user walks down to its work directory
    writeFileSync(secret, "root only\n", { mode: 0o600 });
    writeFileSync(join(base, "role.env"), `NATIVELINK_ACTION_USER=${ACTION_USER}\nNATIVELINK_WORK_DIRECTORY=${mountPath}/work\n`);
    writeFileSync(join(base, "bash-env.sh"), `touch ${base}/bash-env-sourced-by-uid-$(id -u)\n`);
    const runner = installActionRunner(base, join(base, "role.env"));
    const [port, workerApiPort] = await freeLoopbackPorts(2);
    publicPort = port!;
    server = await startNativeLink({ config: serverConfig(publicPort, workerApiPort!), waitForPorts: [publicPort, workerApiPort!] });
    worker = await startNativeLink({ config: workerConfigFor(mountPath, runner, publicPort, workerApiPort!), waitForLog: "Worker registered with scheduler" });
    workspace = new BazelWorkspace(
      base,
      `
genrule(name = "nested", outs = ["nested/deep/result.txt"], cmd = "id -u > $@; echo \\"$$NL_TEST_VALUE\\" >> $@")
genrule(name = "preload", outs = ["preload.txt"], cmd = "echo \\"$$LD_PRELOAD\\" > $@")
genrule(name = "tamper", srcs = ["input.txt"], outs = ["tamper.txt"], cmd = """
f=$(location input.txt)
{ chmod u+w $$f && echo chmod-ok || echo chmod-denied
  (echo tampered >> $$f) && echo write-ok || echo write-denied
  rm -f $$f && echo rm-ok || echo rm-denied; } > $@ 2>/dev/null
""")
genrule(name = "background", outs = ["background.txt"], cmd = "(exec -a ${marker}-background sleep 300) </dev/null >/dev/null 2>&1 & echo started > $@")
genrule(name = "absolute_symlink", outs = ["absolute.txt"], cmd = "ln -s ${secret} $@")
genrule(name = "relative_symlink", outs = ["relative.txt"], cmd = "ln -s ../../../../../../../../../../../../../../etc/hostname $@")
genrule(name = "slow_symlink", outs = ["slow.txt"], cmd = "ln -s ${secret} $@; (exec -a ${marker}-slow sleep 300)")
`,
      { "input.txt": "original input\n" },
    );
  });

  afterAll(async () => {
    await workspace?.stop();
    await worker?.stop();
    await server?.stop();
    rmSync(base, { recursive: true, force: true });
  });

  it("runs the action as the action user, writes outputs in nested directories, and passes the client's environment on", async () => {
    const result = await build("//:nested", ["--action_env=NL_TEST_VALUE=a b=c", `--action_env=BASH_ENV=${base}/bash-env.sh`]);
    expect(result.code, result.output).toBe(0);
    const output = readFileSync(join(workspace.directory, "bazel-bin/nested/deep/result.txt"), "utf8");
    expect(output).toBe(`${userId(ACTION_USER)}\na b=c\n`);
    // BASH_ENV reached the action's bash (as nobody, which may not write here), never a root shell.
    expect(existsSync(join(base, "bash-env-sourced-by-uid-0"))).toBe(false);
  });

  it("cached outputs are root-owned and read-only", async () => {
    const result = await build("//:nested", ["--action_env=NL_TEST_VALUE=cached"]);
    expect(result.code, result.output).toBe(0);
    const [cached] = cacheFiles(`${userId(ACTION_USER)}\ncached\n`);
    expect(cached, "the output in the worker's cache").toBeDefined();
    const stat = statSync(cached!);
    expect(stat.uid).toBe(0);
    expect(stat.mode & 0o222).toBe(0);
  });

  it("an action that tries to write its inputs cannot: the cache files' bytes and modes are unchanged", async () => {
    const result = await build("//:tamper");
    expect(result.code, result.output).toBe(0);
    expect(readFileSync(join(workspace.directory, "bazel-bin/tamper.txt"), "utf8")).toBe("chmod-denied\nwrite-denied\nrm-ok\n");
    const inputs = cacheFiles("original input\n");
    expect(inputs.length).toBeGreaterThan(0);
    for (const path of inputs) {
      expect(readFileSync(path, "utf8")).toBe("original input\n");
      expect(statSync(path)).toMatchObject({ uid: 0, mode: expect.any(Number) });
      expect([0o444, 0o555]).toContain(statSync(path).mode & 0o7777);
    }
  });

  it("a background process left by an action is gone when the action ends", async () => {
    const result = await build("//:background");
    expect(result.code, result.output).toBe(0);
    expect(processesWith(`${marker}-background`)).toEqual([]);
  });

  it("an action whose output is an absolute symlink fails with the wrapper's message, and root never follows it", async () => {
    const result = await build("//:absolute_symlink");
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("nativelink-run-action: refusing the action's outputs: NativeLink would follow these symlinks as root:");
    expect(result.output).toContain(`work/bazel-out/k8-fastbuild/bin/absolute.txt -> ${secret} (absolute)`);
    expect(statSync(secret).mode & 0o777).toBe(0o600);
    expect(readFileSync(secret, "utf8")).toBe("root only\n");
  });

  it("a relative symlink that leaves the action's directory is refused too", async () => {
    const result = await build("//:relative_symlink");
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/relative\.txt -> (\.\.\/)+etc\/hostname \(leaves the action's directory\)/);
  });

  it("an action killed on its timeout hands NativeLink no outputs: the symlink it left is never followed, its processes are gone", async () => {
    const result = await build("//:slow_symlink");
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/timeout|timed out/i);
    expect(statSync(secret).mode & 0o777).toBe(0o600);
    const cacheEntries = readdirSync(join(mountPath, "content_path-cas", "d")).map((name) => join(mountPath, "content_path-cas", "d", name));
    expect(cacheEntries.filter((path) => lstatSync(path).isSymbolicLink())).toEqual([]);
    expect(processesWith(`${marker}-slow`)).toEqual([]);
  });

  it.skipIf(!hasCompiler)("LD_PRELOAD from the client is never loaded by the root part of the wrapper (it still reaches the action)", async () => {
    const library = join(base, "preload.so");
    writeFileSync(
      join(base, "preload.c"),
      `#include <stdio.h>
#include <unistd.h>
__attribute__((constructor)) static void loaded(void) {
  if (geteuid() == 0) { FILE *f = fopen("${base}/preloaded-as-root", "w"); if (f) fclose(f); }
}
`,
    );
    expect(spawnSync("cc", ["-shared", "-fPIC", "-o", library, join(base, "preload.c")]).status).toBe(0);
    chmodSync(library, 0o644);
    const result = await build("//:preload", [`--action_env=LD_PRELOAD=${library}`]);
    expect(result.code, result.output).toBe(0);
    expect(existsSync(join(base, "preloaded-as-root"))).toBe(false);
    expect(readFileSync(join(workspace.directory, "bazel-bin/preload.txt"), "utf8")).toBe(`${library}
`);
  });

  it("leaves no action directory behind", () => {
    expect(readdirSync(join(mountPath, "work"))).toEqual([]);
    expect(worker.log()).toContain("Command complete");
  });
});
