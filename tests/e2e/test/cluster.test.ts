// The reference stack's CAS, scheduler and x86_64 worker, started from what its user data delivers, serving a real
// Bazel build; then the operations the stack relies on: health checks, drain, scheduler replacement, local proxy; and
// that the worker's actions stay away from the instance's credentials, and that only CI's endpoint writes the action
// cache (issue 14).
// The tests run in order on one cluster (README.md: "What the suite shows").
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseFeed } from "@nativelink-aws/autoscaler/handler";
import { parseConfigText } from "@nativelink-aws/nativelink-config";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { BazelWorkspace, type BazelResult } from "../src/bazel.js";
import { TestCluster, WORKER_INSTANCE_ID, dialledPorts } from "../src/cluster.js";
import { DrainHarness } from "../src/drain.js";
import { grpcProbe } from "../src/grpc-probe.js";
import { LocalProxy } from "../src/local-proxy.js";
import { mapPort } from "../src/test-only-changes.js";
import { actionResult, exitCodeOf, getActionResult, updateActionResult } from "../../../tools/nativelink/reapi-client.js";

let cluster: TestCluster;
let bazel: BazelWorkspace;

beforeAll(async () => {
  cluster = await TestCluster.start({ nativelink: inject("nativelinkBin"), otelcol: inject("otelcolBin") });
  bazel = new BazelWorkspace(cluster.directory, { PATH: process.env.PATH, HOME: cluster.directory });
});
afterAll(async () => {
  bazel?.stopAll();
  await cluster?.stop();
});

/** Bazel's output when an expectation on it fails. */
function succeeded(result: BazelResult): void {
  expect(result.code, result.output).toBe(0);
}

/** UTC timestamps of NativeLink's log lines that match `pattern`, in ms. */
function logTimes(log: string, pattern: RegExp): number[] {
  return log
    .split("\n")
    .filter((line) => pattern.test(line))
    .map((line) => Date.parse(/\d{4}-\d\d-\d\dT[\d:.]+Z/.exec(line)?.[0] ?? ""));
}

/** The worker id //:forge prints in NativeLink's registration message (workspace/BUILD). */
const FORGED_WORKER_ID = "00000000-0000-4000-8000-000000000000";
/** The autoscaler's defaults, but a live process's samples are at most the suite's 1 s export interval (and 0.5 s) apart. */
const FEED_OPTIONS = { platformLabel: "cpu_arch", maxPlausibleCount: 10_000, liveWindowMs: 1_500 };

/** gRPC status codes. */
const PERMISSION_DENIED = 7;
const NOT_FOUND = 5;

/** The key prefix of the bucket's rule named `rule` (`expire-action-cache`, `expire-cas`). */
function bucketPrefix(rule: string): string {
  const prefix = cluster.stack.expirationPrefixes(cluster.bucket.name)[rule];
  if (prefix === undefined) throw new Error(`the bucket has no expiration rule ${rule}`);
  return prefix;
}

/** The stack port of the server named `name` in a role's delivered configuration. */
function serverPort(role: "cas" | "scheduler", name: string): number {
  const server = parseConfigText(cluster.stack.roleFiles(role).configText).servers.find((candidate) => candidate.name === name);
  if (!server) throw new Error(`the ${role}'s configuration has no server named ${name}`);
  return Number(server.listener.http.socket_address.split(":").pop());
}

/** `<sha256 hex>-<size>`, the key of a CAS blob under its prefix. */
function blobKey(content: Buffer): { hash: string; key: string } {
  const hash = createHash("sha256").update(content).digest("hex");
  return { hash, key: `${bucketPrefix("expire-cas")}${hash}-${content.length}` };
}

describe("the reference stack's CAS, scheduler and worker on the real NativeLink", () => {
  it("answer each target group's health check on its target port with the status its matcher expects", async () => {
    const checks = cluster.stack.targetGroupChecks();
    expect(checks.map((check) => check.name)).toEqual(expect.arrayContaining(["nativelink-cas-grpc", "nativelink-cas-writers", "nativelink-scheduler-grpc"]));
    for (const check of checks) {
      expect(check.protocolVersion).toBe("GRPC");
      const answer = await grpcProbe(mapPort(cluster.ports, check.port), check.path);
      expect({ group: check.name, ...answer }).toEqual({ group: check.name, httpStatus: 200, grpcStatus: check.matcher });
    }
  });

  it("run a Bazel build remotely, with the stack's own Bazel flags and the documented platform", async () => {
    const result = await bazel.build(["//:hello", "//:shout"], cluster.bazelFlags());
    succeeded(result);
    expect(result.processes).toEqual({ internal: 1, remote: 2 });
    expect(readFileSync(join(bazel.directory, "bazel-bin/shout.txt"), "utf8")).toBe("NATIVELINK ON AWS, END TO END\nBUILT ON X86_64\n");
    // The worker ran both actions, through the image's action wrapper (its entrypoint).
    expect(cluster.worker.log().match(/Command complete/g)).toHaveLength(2);
    const throughWrapper = `Executing command, args: ["${cluster.workerInstance.machine.actionRunner}", "/bin/bash"`;
    expect(cluster.worker.log().split(throughWrapper)).toHaveLength(3);
  });

  it("leave CAS blobs and action results in the bucket exactly under the prefixes its lifecycle rules expire", async () => {
    const prefixes = cluster.stack.expirationPrefixes(cluster.bucket.name);
    expect(Object.keys(prefixes).sort()).toEqual(["expire-action-cache", "expire-cas"]);
    const keys = await cluster.bucket.keys();
    const under = (prefix: string) => keys.filter((key) => key.startsWith(prefix));
    expect(keys.filter((key) => !Object.values(prefixes).some((prefix) => key.startsWith(prefix)))).toEqual([]);
    // One action result per action; the outputs are CAS blobs, keyed <sha256>-<size>.
    expect(under(prefixes["expire-action-cache"]!)).toHaveLength(2);
    for (const output of ["hello.txt", "shout.txt"]) expect(keys).toContain(blobKey(readFileSync(join(bazel.directory, "bazel-bin", output))).key);
  });

  it("serve a rebuild after `bazel clean` from the remote cache", async () => {
    await bazel.clean();
    const result = await bazel.build(["//:hello", "//:shout"], cluster.bazelFlags());
    succeeded(result);
    expect(result.processes).toEqual({ internal: 1, "remote cache hit": 2 });
  });

  it("refuse UpdateActionResult on the CAS's and scheduler's public endpoints, storing nothing; store it through the CAS writers' endpoint", async () => {
    const instance = cluster.stack.output("remote_instance_name");
    const endpoints = {
      cas: cluster.stack.output("cas_endpoint"),
      scheduler: cluster.stack.output("scheduler_endpoint"),
      writers: cluster.stack.output("cas_writers_endpoint"),
    };
    // Each endpoint of the outputs reaches, through its listener's rule, the server of the delivered configuration it should.
    expect(cluster.stack.loadBalancerTarget(endpoints.cas)).toBe(serverPort("cas", "public"));
    expect(cluster.stack.loadBalancerTarget(endpoints.scheduler)).toBe(serverPort("scheduler", "public"));
    expect(cluster.stack.loadBalancerTarget(endpoints.writers)).toBe(serverPort("cas", "writers"));
    const port = {
      cas: cluster.endpointPort(endpoints.cas),
      scheduler: cluster.endpointPort(endpoints.scheduler),
      writers: cluster.endpointPort(endpoints.writers),
    };
    const actionCache = bucketPrefix("expire-action-cache");
    // The digest of an action nobody built: the action cache stores any result under any digest.
    const digest = { hash: createHash("sha256").update("tests/e2e: an action result only CI may write").digest("hex"), sizeBytes: 142 };
    const before = await cluster.bucket.keysUnder(actionCache);

    for (const refused of [port.cas, port.scheduler]) {
      const update = await updateActionResult(refused, instance, digest, actionResult(42));
      expect(update).toMatchObject({ status: PERMISSION_DENIED, message: `The store '${instance}' is read only on this endpoint` });
    }
    expect(await cluster.bucket.keysUnder(actionCache)).toEqual(before);
    expect((await getActionResult(port.cas, instance, digest)).status).toBe(NOT_FOUND);

    const update = await updateActionResult(port.writers, instance, digest, actionResult(42));
    expect(update.status, update.message).toBe(0);
    expect(await cluster.bucket.keysUnder(actionCache)).toEqual([...before, `${actionCache}${digest.hash}-${digest.sizeBytes}`].sort());
    // Readable through both public endpoints (the scheduler, another process, from the bucket).
    for (const reader of [port.cas, port.scheduler]) {
      const read = await getActionResult(reader, instance, digest);
      expect(read.status, read.message).toBe(0);
      expect(exitCodeOf(read.body)).toBe(42);
    }
  });

  describe("while a 20 s action runs on the worker", () => {
    let build: Promise<BazelResult>;
    let completedBefore: number;

    beforeAll(async () => {
      // First an action that writes a forged registration line into NativeLink's log (the drain must ignore it).
      succeeded(await bazel.build(["//:forge"], cluster.bazelFlags()));
      expect(cluster.worker.log()).toContain(`Worker registered with scheduler, worker_id: ${FORGED_WORKER_ID}`);
      completedBefore = parseFeed(await cluster.metrics(), FEED_OPTIONS).completedActions ?? 0;
      for (let tries = 0; completedBefore < 3 && tries < 50; tries += 1) {
        await sleep(200);
        completedBefore = parseFeed(await cluster.metrics(), FEED_OPTIONS).completedActions ?? 0;
      }
      build = bazel.build(["//:slow"], cluster.bazelFlags());
      await cluster.worker.waitForLog(/Executing command.*sleep 20/, "the slow action to start", 60_000);
    });
    afterAll(async () => {
      // Settled when the tests passed; otherwise it is not left running.
      bazel.stopAll();
      await build;
    });

    it("the scheduler's OTLP export shows it executing and the worker connected, in the autoscaler's feed", async () => {
      // The collector runs the image's configuration; the feed is parsed with the autoscaler's own parser.
      let feed = parseFeed(await cluster.metrics(), FEED_OPTIONS);
      for (let tries = 0; feed.executing.unlabelled !== 1 && tries < 50; tries += 1) {
        await sleep(200);
        feed = parseFeed(await cluster.metrics(), FEED_OPTIONS);
      }
      expect(feed.executing).toEqual({ unlabelled: 1, byPlatform: {} });
      expect(feed.queued).toEqual({ unlabelled: 0, byPlatform: {} });
      expect(feed.connectedWorkers).toBe(1);
      // The two actions built earlier and the forger completed through this scheduler (cache hits never reach it).
      expect(completedBefore).toBe(3);
    });

    it(
      "the image's drain watcher drains the worker: the action completes, the build succeeds, " + "then the worker stops and the lifecycle action completes",
      async () => {
        const drain = new DrainHarness(cluster);
        const watcher = drain.start();
        await watcher.waitForLog(/watching instance metadata/, "the watcher to start");
        cluster.workerInstance.imds.setMetadata("autoscaling/target-lifecycle-state", "Terminated");
        await watcher.waitForLog(/the scheduler drains worker \S+: it gets no new actions/, "the drain request");
        const result = await build;
        succeeded(result);
        // Run once, on the draining worker: not retried elsewhere, not lost.
        expect(result.processes).toEqual({ internal: 1, remote: 1 });
        expect(readFileSync(join(bazel.directory, "bazel-bin/slow.txt"), "utf8")).toBe("NativeLink on AWS, end to end\n");
        expect(statSync(join(bazel.directory, "bazel-bin/slow.bin")).size).toBe(64 * 1024 * 1024);
        // Issue 18: after the command exited the worker had no child but still uploaded the 64 MiB output from the
        // action's directory; the drain waited for the directory to go (a SIGTERM then loses the result).
        expect(watcher.log()).toContain("the worker still runs actions (child processes: 0, action directories: 1)");
        await watcher.waitForLog(/completed the lifecycle action/, "the lifecycle action to complete", 30_000);
        expect(await cluster.worker.waitForExit(5_000)).toBe(true);

        const workerLog = cluster.worker.log();
        const registered = /Worker registered with scheduler, worker_id: (\S+)/.exec(workerLog)?.[1];
        // The preset sets no worker `name`: the id is a bare UUID (NativeLink's default name is "").
        expect(registered).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(watcher.log()).toContain(`the scheduler drains worker ${registered}: it gets no new actions`);
        // Not the id //:forge printed into the same log after the registration.
        expect(workerLog.indexOf(FORGED_WORKER_ID)).toBeGreaterThan(workerLog.indexOf(`worker_id: ${registered}`));
        expect(watcher.log()).not.toContain(FORGED_WORKER_ID);
        // The action finished before NativeLink got SIGTERM.
        expect(logTimes(workerLog, /Command complete/).at(-1)).toBeLessThan(logTimes(workerLog, /Process terminated via SIGTERM/)[0]!);
        const { groupName, terminationHooks } = cluster.stack.fleetGroup(cluster.workerInstance.files.fleet);
        const hook = cluster.workerInstance.files.roleEnv.NATIVELINK_LIFECYCLE_HOOK!;
        expect(terminationHooks).toEqual([hook]);
        const calls = drain.calls();
        expect(calls.filter((call) => call.startsWith("aws ")).at(-1)).toBe(
          `aws autoscaling complete-lifecycle-action --lifecycle-action-result CONTINUE --lifecycle-hook-name ${hook} --auto-scaling-group-name ${groupName} ` +
            `--instance-id ${WORKER_INSTANCE_ID} --region ${cluster.workerInstance.files.roleEnv.NATIVELINK_REGION}`,
        );
        expect(calls.indexOf("systemctl stop nativelink.service")).toBeLessThan(calls.findIndex((call) => call.includes("complete-lifecycle-action")));
      },
    );

    it("the feed then shows the action completed and no worker connected", async () => {
      let feed = parseFeed(await cluster.metrics(), FEED_OPTIONS);
      for (let tries = 0; feed.connectedWorkers !== 0 && tries < 50; tries += 1) {
        await sleep(200);
        feed = parseFeed(await cluster.metrics(), FEED_OPTIONS);
      }
      expect(feed).toMatchObject({ connectedWorkers: 0, completedActions: completedBefore + 1, executing: { unlabelled: 0 } });
    });
  });

  it("reconnect a worker to a new scheduler by itself, dialling the scheduler's name, and build again", async () => {
    await cluster.startWorker();
    const registrations = () => cluster.worker.log().match(/Worker registered with scheduler/g)?.length ?? 0;
    expect(registrations()).toBe(1);
    await cluster.scheduler.stop();
    // While no scheduler listens, the worker retries the name role.env gives it.
    const schedulerHost = cluster.workerInstance.files.roleEnv.NATIVELINK_SCHEDULER_HOST!;
    await cluster.worker.waitForLog(new RegExp(`Could not connect to endpoint grpc://${schedulerHost.replaceAll(".", "\\.")}:\\d+`), "a failed reconnection");
    const replacement = await cluster.startScheduler();
    await cluster.worker.waitForLog(/Worker registered with scheduler/, "its registration with the new scheduler", 10_000, 2);
    const ready = logTimes(replacement.log(), /Ready, listening on/).at(-1)!;
    const reconnected = logTimes(cluster.worker.log(), /Worker registered with scheduler/).at(-1)!;
    const seconds = (reconnected - ready) / 1000;
    process.stderr.write(`tests/e2e: the worker registered with the new scheduler ${seconds.toFixed(3)} s after it listened\n`);
    // NativeLink retries every 0.5 s: one retry, plus the connection.
    expect(seconds).toBeGreaterThanOrEqual(0);
    expect(seconds).toBeLessThan(1.5);

    writeFileSync(join(bazel.directory, "stamp.txt"), `after the scheduler's replacement, ${Date.now()}\n`);
    const result = await bazel.build(["//:stamped"], cluster.bazelFlags());
    succeeded(result);
    expect(result.processes).toEqual({ internal: 1, remote: 1 });
  });

  it("the feed then describes the new scheduler only, though the collector's page still holds the old one's last values", async () => {
    // Issue 18: summed, the page read the old process's 4 completed actions and its connected worker besides the new one's.
    const read = async () => {
      try {
        return parseFeed(await cluster.metrics(), FEED_OPTIONS);
      } catch (error) {
        // Right after the restart the old process's last export can be within the window of the new one's first.
        if ((error as { kind?: string }).kind === "several-processes") return undefined;
        throw error;
      }
    };
    let feed = await read();
    for (let tries = 0; feed?.completedActions !== 1 && tries < 50; tries += 1) {
      await sleep(200);
      feed = await read();
    }
    expect(feed).toEqual({ queued: { unlabelled: 0, byPlatform: {} }, executing: { unlabelled: 0, byPlatform: {} }, connectedWorkers: 1, completedActions: 1 });
    const page = await cluster.metrics();
    const processes = new Set([...page.matchAll(/^nativelink_worker_connected_count\{[^}]*instance="([^"]+)"/gm)].map((match) => match[1]));
    expect(processes.size).toBe(2);
  });

  it("serve cache hits through the local CAS proxy that `nativelink-aws local-proxy init` writes", async () => {
    const proxy = await LocalProxy.init(cluster, bazel);
    try {
      await bazel.clean();
      const result = await bazel.build(["//:hello", "//:shout"], proxy.bazelFlags(), proxy.environment());
      succeeded(result);
      expect(result.output).toContain("tools/bazel: started the local CAS on port");
      // No --remote_instance_name but the wrapper's (issue 18: without it, "'instance_name' not configured for ''").
      expect(proxy.bazelFlags().filter((flag) => flag.startsWith("--remote_instance_name"))).toEqual([]);
      expect(result.output).not.toContain("not configured for");
      expect(result.processes).toEqual({ internal: 1, "remote cache hit": 2 });
      expect(proxy.log()).toMatch(/Ready, listening on 127\.0\.0\.1:\d+/);
    } finally {
      await proxy.stop();
    }
  });

  it(
    "run each action as a user of the image's action pool, which reaches neither instance metadata nor the worker API; " + "the worker itself reaches both",
    async () => {
      const { machine, imds, files, config } = cluster.workerInstance;
      const { actionPool } = machine;
      const workerApi = { host: files.roleEnv.NATIVELINK_SCHEDULER_HOST!, port: dialledPorts(config)[0]! };
      // The bootstrap's rules, for the whole pool, are on the worker's machine, and nothing of them on this one.
      const owner = `-m owner --uid-owner ${actionPool.first}-${actionPool.last}`;
      const rules = (await machine.run("iptables", ["-S", "OUTPUT"])).stdout;
      expect(rules).toContain(`-A OUTPUT -d 169.254.169.254/32 ${owner} -m comment --comment "nativelink: no instance metadata for actions" -j REJECT`);
      expect(rules).toContain(`-A OUTPUT -p tcp -m tcp --dport ${workerApi.port} ${owner} -m comment --comment "nativelink: no worker API for actions"`);
      expect(spawnSync("iptables", ["-S", "OUTPUT"], { encoding: "utf8" }).stdout).not.toContain(owner);
      const metadataRequests = imds.requests.length;

      const probe = [`--action_env=WORKER_API_HOST=${workerApi.host}`, `--action_env=WORKER_API_PORT=${workerApi.port}`];
      const result = await bazel.build(["//:isolation"], [...cluster.bazelFlags(), ...probe]);
      succeeded(result);
      expect(result.processes).toEqual({ internal: 1, remote: 1 });
      const report = readFileSync(join(bazel.directory, "bazel-bin/isolation.txt"), "utf8");
      const uid = Number(/^user: (\d+) /m.exec(report)?.[1]);
      expect(uid).toBeGreaterThanOrEqual(actionPool.first);
      expect(uid).toBeLessThanOrEqual(actionPool.last);
      expect(report).toContain(`user: ${uid} ${actionPool.name(uid)}\n`);
      // curl's exit code 7: no connection (the firewall's REJECT answers at once, as a closed port would).
      expect(report).toMatch(/\ncurl: \(7\) Failed to connect to 169\.254\.169\.254 port 80\b.*\nmetadata: curl exit 7\n/);
      expect(report).toMatch(/Connection refused\nworker API: refused\n$/);

      // The action's request never reached instance metadata; the bootstrap's did (it ran as root on the same machine),
      // and root's still do. Root reaches the worker API too: the worker is registered through it.
      expect(imds.requests.length).toBe(metadataRequests);
      expect(imds.requests).toContainEqual(expect.objectContaining({ method: "PUT", path: "/latest/api/token" }));
      const token = await machine.run("curl", [
        "--silent",
        "--show-error",
        "--max-time",
        "5",
        "-X",
        "PUT",
        "-H",
        "X-aws-ec2-metadata-token-ttl-seconds: 60",
        "http://169.254.169.254/latest/api/token",
      ]);
      expect(token).toMatchObject({ code: 0, stdout: "fake-imdsv2-token" });
      expect((await machine.run("bash", ["-c", `exec 3<>/dev/tcp/${workerApi.host}/${workerApi.port}`])).code).toBe(0);
    },
  );

  it(
    "keep concurrent actions apart: an action cannot find nor replace another's input " +
      "while both run (H-1); the victim's result, also from the cache, is the original",
    async () => {
      // How many action trees the worker holds at once, seen from this machine while the build runs.
      const work = join(cluster.workerInstance.instance.root, "mnt/nativelink/work");
      let concurrent = 0;
      const watch = setInterval(() => {
        const running = readdirSync(work).filter((operation) => existsSync(join(work, operation, "work.running")));
        concurrent = Math.max(concurrent, running.length);
      }, 100);
      const result = await bazel.build(["//:victim", "//:attacker"], [...cluster.bazelFlags(), "--jobs=4"]).finally(() => clearInterval(watch));
      succeeded(result);
      expect(result.processes).toEqual({ internal: 1, remote: 2 });
      expect(concurrent, "the worker ran both actions at once (max_inflight_tasks is the vCPU count: 2 or more needed)").toBe(2);
      const report = readFileSync(join(bazel.directory, "bazel-bin/attacker.txt"), "utf8");
      expect(report).toMatch(/^ls: cannot open directory '\/mnt\/nativelink\/work': Permission denied\nlist work: denied\nfound other action's input: 0\n/);
      // Its own /proc: its shell, ls and grep, no other action's.
      expect(Number(/^processes seen: (\d+)$/m.exec(report)?.[1])).toBeLessThanOrEqual(4);
      expect(readFileSync(join(bazel.directory, "bazel-bin/victim.txt"), "utf8")).toBe("original CI input\n");

      await bazel.clean();
      const again = await bazel.build(["//:victim"], cluster.bazelFlags());
      succeeded(again);
      expect(again.processes).toEqual({ internal: 1, "remote cache hit": 1 });
      expect(readFileSync(join(bazel.directory, "bazel-bin/victim.txt"), "utf8")).toBe("original CI input\n");
    },
  );

  describe("an action that runs on the client (`no-remote-exec`), built with a developer's and with CI's flags", () => {
    /** CI's machine: another checkout of the workspace, another Bazel output root. */
    let ci: BazelWorkspace | undefined;
    afterAll(() => ci?.stopAll());

    it("a developer's build (`bazel_flags`) succeeds and uploads nothing: no action result, no output", async () => {
      const before = (await cluster.bucket.keys()).sort();
      const result = await bazel.build(["//:local"], cluster.bazelFlags("bazel_flags"));
      succeeded(result);
      expect(result.processes).toEqual({ internal: 1, "linux-sandbox": 1 });
      // Bazel did not try: without the flag it would, and the public endpoint's read-only action cache would refuse it.
      expect(result.output).not.toContain("PERMISSION_DENIED");
      expect((await cluster.bucket.keys()).sort()).toEqual(before);
    });

    it("CI's build (`bazel_flags_ci`), on a checkout of its own, runs it again and stores its result through the CAS writers' endpoint", async () => {
      ci = new BazelWorkspace(join(cluster.directory, "ci"), { PATH: process.env.PATH, HOME: cluster.directory });
      writeFileSync(join(ci.directory, "stamp.txt"), `CI's build, ${Date.now()}\n`);
      const actionCache = bucketPrefix("expire-action-cache");
      const before = await cluster.bucket.keysUnder(actionCache);
      const result = await ci.build(["//:local", "//:stamped"], cluster.bazelFlags("bazel_flags_ci"));
      succeeded(result);
      // //:local ran, not a cache hit: the developer's build had stored nothing. //:stamped ran on the worker.
      expect(result.processes).toEqual({ internal: 1, remote: 1, "linux-sandbox": 1 });
      const added = (await cluster.bucket.keysUnder(actionCache)).filter((key) => !before.includes(key));
      // The worker's result of //:stamped and Bazel's of //:local: the one whose ActionResult names local.txt's digest.
      expect(added).toHaveLength(2);
      const output = blobKey(readFileSync(join(ci.directory, "bazel-bin/local.txt")));
      const naming = (await Promise.all(added.map(async (key) => ((await cluster.bucket.get(key)).includes(output.hash) ? [key] : [])))).flat();
      expect(naming).toHaveLength(1);
      expect(await cluster.bucket.keys()).toContain(output.key);
      // A developer's build reads it through the public endpoint (the action's digest is the key's name).
      const [hash, size] = naming[0]!.slice(actionCache.length).split("-");
      const publicCas = cluster.endpointPort(cluster.stack.output("cas_endpoint"));
      const read = await getActionResult(publicCas, cluster.stack.output("remote_instance_name"), { hash: hash!, sizeBytes: Number(size) });
      expect(read.status, read.message).toBe(0);
      expect(read.body.includes(output.hash)).toBe(true);
    });
  });
});
