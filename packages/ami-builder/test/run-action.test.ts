/**
 * nativelink-run-action under the real NativeLink worker (shared/bin) driven by a real Bazel build (genrules run
 * remotely). The worker is the worker preset with `actionRunner` pointing at the wrapper (and its stores' S3 side
 * swapped for the test's scheduler+CAS process); actions run as uids of a pool no account of this machine holds, one per
 * running action.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  NO_NATIVELINK_BINARY,
  freeLoopbackPorts,
  nativeLinkBinary,
  startNativeLink,
  type NativeLinkProcess,
} from "../../../tools/nativelink/nativelink-process.js";
import { BazelWorkspace, bazelAvailable, installActionRunner, processesWith } from "./helpers/action-runner.js";
import { inMemoryServerConfig, workerAgainstServer } from "./helpers/worker-under-test.js";

/** The pool: four slots, as many as the worker takes actions at once (no account of this machine has these ids). */
const FIRST_UID = 70000;
const SLOTS = 4;
const POOL = Array.from({ length: SLOTS }, (_, slot) => String(FIRST_UID + slot));
const MAX_ACTION_TIMEOUT_SECONDS = 5;
const hasCompiler = spawnSync("cc", ["--version"], { stdio: "ignore" }).status === 0;
const missing = [
  process.getuid?.() !== 0 ? "root (NativeLink runs actions as root, the wrapper drops to an action uid)" : undefined,
  POOL.some((uid) => spawnSync("getent", ["passwd", uid]).status === 0) ? `no account with a uid of ${POOL.join(", ")}` : undefined,
  nativeLinkBinary() ? undefined : NO_NATIVELINK_BINARY,
  bazelAvailable() ? undefined : "bazel (apt-get install -y bazel-bootstrap)",
].filter(Boolean);

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

describe.skipIf(missing.length > 0)(`nativelink-run-action on a real worker${missing.length ? ` (skipped: needs ${missing.join("; ")})` : ""}`, () => {
  // Not under /tmp: actions get a private /tmp, where the worker's paths (and the exchange) would not exist. The image's
  // work directory is on /mnt.
  const base = mkdtempSync("/var/lib/nativelink-run-action-");
  const mountPath = join(base, "worker");
  const secret = join(base, "secret");
  const marker = `nl-leftover-${process.pid}`;
  /** Where the victim tells the attacker its tree (the strongest attacker: one that knows the other's path). */
  const exchange = join(base, "exchange");
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
    mkdirSync(exchange, { mode: 0o1777 });
    chmodSync(exchange, 0o1777);
    writeFileSync(
      join(base, "role.env"),
      [
        `NATIVELINK_ACTION_UIDS='${POOL[0]}-${POOL[SLOTS - 1]}'`,
        `NATIVELINK_ACTION_LOCK_DIRECTORY="${base}/action-slots"`,
        `NATIVELINK_WORK_DIRECTORY=${mountPath}/work`,
        "",
      ].join("\n"),
    );
    writeFileSync(join(base, "bash-env.sh"), `touch ${base}/bash-env-sourced-by-uid-$(id -u)\n`);
    const runner = installActionRunner(base, join(base, "role.env"));
    const [port, workerApiPort] = await freeLoopbackPorts(2);
    publicPort = port!;
    server = await startNativeLink({ config: inMemoryServerConfig(publicPort, workerApiPort!), waitForPorts: [publicPort, workerApiPort!] });
    worker = await startNativeLink({
      config: workerAgainstServer(
        {
          mountPath,
          schedulerHost: "127.0.0.1",
          workerApiPort: workerApiPort!,
          maxActionTimeoutSeconds: MAX_ACTION_TIMEOUT_SECONDS,
          maxInflightTasks: SLOTS,
          actionRunner: runner,
        },
        publicPort,
      ),
      waitForLog: "Worker registered with scheduler",
    });
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
genrule(name = "fifo", outs = ["fifo.txt"], cmd = "mkfifo $@")
genrule(name = "lockdown", outs = ["lockdown.txt"], cmd = "echo locked > $@ && chmod 6777 $@")
genrule(name = "victim", srcs = ["victim_input.txt"], outs = ["victim.txt"], cmd = """
(exec -a ${marker}-victim sleep 30) </dev/null >/dev/null 2>&1 &
echo victim secret > /tmp/victim-secret
f=$(location victim_input.txt)
echo "$$(id -u) $$PWD/$$f" > ${exchange}/victim-ready
for i in $$(seq 40); do [ -e ${exchange}/attacker-done ] && break; sleep 0.1; done
{ id -u; cat $$f; [ -e ${exchange}/attacker-done ] && echo "the attacker ran meanwhile"; } > $@
""")
genrule(name = "attacker", outs = ["attacker.txt"], cmd = """
exec > $@ 2>/dev/null
for i in $$(seq 30); do [ -e ${exchange}/victim-ready ] && break; sleep 0.1; done
read -r victim_uid victim_input < ${exchange}/victim-ready
victim_tree=$$(dirname $$victim_input)
echo "uid $$(id -u) victim $$victim_uid"
ls ${mountPath}/work >/dev/null && echo "list work: ok" || echo "list work: denied"
cat $$victim_input >/dev/null && echo "read input: ok" || echo "read input: denied"
rm -f $$victim_input && echo "remove input: ok" || echo "remove input: denied"
echo pwned > $$victim_input && echo "replace input: ok" || echo "replace input: denied"
touch $$victim_tree/planted && echo "write tree: ok" || echo "write tree: denied"
# The marker is put together here, so that no command line of the attacker's holds it.
m=${marker}-vic; m=$$m"tim"; seen=invisible
for f in /proc/[0-9]*/cmdline; do c=$$(tr '[:cntrl:]' ' ' < $$f); case "$$c" in *"$$m"*) seen=visible;; esac; done
echo "victim processes: $$seen"
[ -e /tmp/victim-secret ] && echo "victim tmp: visible" || echo "victim tmp: invisible"
ls /proc | grep -c '^[0-9]' | sed 's/^/own processes: /'
touch ${exchange}/attacker-done
""")
`,
      { "input.txt": "original input\n", "victim_input.txt": "original CI input\n" },
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
    const [uid, value] = output.split("\n");
    expect(POOL).toContain(uid);
    expect(value).toBe("a b=c");
    // BASH_ENV reached the action's bash (as nobody, which may not write here), never a root shell.
    expect(existsSync(join(base, "bash-env-sourced-by-uid-0"))).toBe(false);
  });

  it("cached outputs are root-owned and read-only", async () => {
    const result = await build("//:nested", ["--action_env=NL_TEST_VALUE=cached"]);
    expect(result.code, result.output).toBe(0);
    const output = readFileSync(join(workspace.directory, "bazel-bin/nested/deep/result.txt"), "utf8");
    const [cached] = cacheFiles(output);
    expect(cached, "the output in the worker's cache").toBeDefined();
    const stat = statSync(cached!);
    expect(stat.uid).toBe(0);
    expect(stat.mode & 0o222).toBe(0);
  });

  it("an action that tries to write its inputs cannot: the cache files' bytes and modes are unchanged", async () => {
    const result = await build("//:tamper");
    expect(result.code, result.output).toBe(0);
    // It may unlink its own inputs (their directories are its uid's, for its outputs): that changes only its own
    // result. Another action cannot (the concurrent test below).
    expect(readFileSync(join(workspace.directory, "bazel-bin/tamper.txt"), "utf8")).toBe("chmod-denied\nwrite-denied\nrm-ok\n");
    const inputs = cacheFiles("original input\n");
    expect(inputs.length).toBeGreaterThan(0);
    for (const path of inputs) {
      expect(readFileSync(path, "utf8")).toBe("original input\n");
      expect(statSync(path)).toMatchObject({ uid: 0, mode: expect.any(Number) });
      expect([0o444, 0o555]).toContain(statSync(path).mode & 0o7777);
    }
  });

  it(
    "two concurrent actions run as different uids of the pool; the attacker cannot list the work directory, " +
      "nor read, remove, replace or add to the victim's tree, nor see its processes or /tmp",
    async () => {
      const result = await build("//:victim", ["--jobs=4", "//:attacker"]);
      expect(result.code, result.output).toBe(0);
      const report = readFileSync(join(workspace.directory, "bazel-bin/attacker.txt"), "utf8");
      const [, attackerUid, victimUid] = /^uid (\d+) victim (\d+)$/m.exec(report) ?? [];
      expect(POOL).toContain(attackerUid);
      expect(POOL).toContain(victimUid);
      expect(attackerUid).not.toBe(victimUid);
      expect(report.split("\n").slice(1)).toEqual([
        "list work: denied",
        "read input: denied",
        "remove input: denied",
        "replace input: denied",
        "write tree: denied",
        "victim processes: invisible",
        "victim tmp: invisible",
        expect.stringMatching(/^own processes: [1-9]$/),
        "",
      ]);
      expect(readFileSync(join(workspace.directory, "bazel-bin/victim.txt"), "utf8")).toBe(`${victimUid}\noriginal CI input\nthe attacker ran meanwhile\n`);
      expect(statSync(join(mountPath, "work")).mode & 0o777).toBe(0o711);
      expect(processesWith(`${marker}-victim`)).toEqual([]);
    },
  );

  it("an action cannot leave a FIFO (or socket) behind: the wrapper refuses its outputs, naming the file", async () => {
    const result = await build("//:fifo");
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(
      "nativelink-run-action: refusing the action's outputs: only regular files, directories and symlinks may be left in its tree",
    );
    expect(result.output).toContain("work/bazel-out/k8-fastbuild/bin/fifo.txt (fifo)");
  });

  it("an output the action made setuid, setgid and world-writable reaches the cache root-owned, without those bits", async () => {
    const result = await build("//:lockdown");
    expect(result.code, result.output).toBe(0);
    const cached = cacheFiles("locked\n");
    expect(cached.length).toBeGreaterThan(0);
    for (const path of cached) {
      expect(statSync(path)).toMatchObject({ uid: 0, gid: 0 });
      expect(statSync(path).mode & 0o6022).toBe(0);
    }
  });

  it("the slots' locks are files of root's, in a directory only root may enter", () => {
    expect(statSync(join(base, "action-slots")).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(base, "action-slots")).every((name) => /^[0-3]$/.test(name))).toBe(true);
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
