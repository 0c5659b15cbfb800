import { spawnSync } from "node:child_process";
import { BOOT_ENV, bootEnvFor, type BootRole } from "@nativelink-aws/nativelink-config";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeImds, type FakeImds } from "./helpers/fake-imds.js";
import { ROOT_VOLUME, instanceStoreDisk } from "./helpers/fake-tools.js";
import { FakeInstance, MEM_TOTAL_KIB } from "./helpers/instance.js";

const GIB = 1024 ** 3;
const MEMORY_BYTES = MEM_TOTAL_KIB * 1024;

function roleFile(role: BootRole, extra: readonly string[] = []): string[] {
  return [
    `NATIVELINK_ROLE=${role}`,
    "NATIVELINK_DEPLOYMENT=nativelink",
    "NATIVELINK_BUCKET=nativelink-cas-123456789012",
    "NATIVELINK_REGION=us-west-2",
    // The pool's default range, 70000-70255, holds no account on this machine (the image's nativelink-action-<n> may).
    ...(role === "worker" ? ["NATIVELINK_SCHEDULER_HOST=scheduler.internal.example.com"] : []),
    ...extra,
  ];
}

let imds: FakeImds;
let instance: FakeInstance;

afterEach(async () => {
  await imds.close();
  instance.remove();
});

async function bootstrap(role: BootRole, extra: readonly string[] = []): Promise<Record<string, string>> {
  imds = await startFakeImds({ tags: { "nativelink:role": role, "nativelink:deployment": "nativelink" } });
  instance = new FakeInstance([ROOT_VOLUME, instanceStoreDisk(1)]);
  instance.writeRoleFile(roleFile(role, extra));
  const result = await instance.runBootstrap(imds.endpoint);
  expect(result.code, result.stderr).toBe(0);
  return instance.envValues();
}

describe("nativelink-bootstrap: /etc/nativelink/env per role", () => {
  it.each<BootRole>(["cas", "scheduler", "worker"])(
    "%s: holds exactly the BOOT_ENV names of @nativelink-aws/nativelink-config the role's " +
      "configuration reads, plus AWS_REGION (and OTLP settings on the scheduler and worker)",
    async (role) => {
      const values = await bootstrap(role);
      const otel = { cas: [], scheduler: ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_METRIC_EXPORT_INTERVAL"], worker: ["OTEL_EXPORTER_OTLP_ENDPOINT"] }[role];
      expect(Object.keys(values).sort()).toEqual([...bootEnvFor(role), "AWS_REGION", ...otel].sort());
      for (const value of Object.values(values)) expect(value).not.toBe("");
    },
  );

  it("cas: ~83% of memory for caches, a tenth of it for the action cache, sizes in bytes", async () => {
    const values = await bootstrap("cas");
    const budget = Math.floor((MEMORY_BYTES * 83) / 100);
    const actionCache = Math.floor(budget / 10);
    expect(values).toEqual({
      AWS_REGION: "us-west-2",
      [BOOT_ENV.region]: "us-west-2",
      [BOOT_ENV.bucket]: "nativelink-cas-123456789012",
      [BOOT_ENV.acMemoryBytes]: String(actionCache),
      [BOOT_ENV.casContentMemoryBytes]: String(budget - actionCache),
    });
  });

  it("scheduler: the same memory split as the CAS (its caches front the same bucket)", async () => {
    const values = await bootstrap("scheduler");
    const budget = Math.floor((MEMORY_BYTES * 83) / 100);
    expect(values[BOOT_ENV.acMemoryBytes]).toBe(String(Math.floor(budget / 10)));
    expect(values[BOOT_ENV.casContentMemoryBytes]).toBe(String(budget - Math.floor(budget / 10)));
  });

  it("scheduler: exports metrics to the local collector every 15 s, for the autoscaler", async () => {
    const values = await bootstrap("scheduler");
    expect(values).toMatchObject({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://localhost:4317", OTEL_METRIC_EXPORT_INTERVAL: "15000" });
  });

  it("worker: exports OTLP to a port no action can listen on (localhost:4317, NativeLink's default, is unprivileged)", async () => {
    const values = await bootstrap("worker");
    expect(values.OTEL_EXPORTER_OTLP_ENDPOINT).toBe("http://127.0.0.1:1");
  });

  it("worker: scheduler host, and 80% of the NVMe file system for the cache, in bytes", async () => {
    const values = await bootstrap("worker");
    expect(values).toEqual({
      AWS_REGION: "us-west-2",
      [BOOT_ENV.region]: "us-west-2",
      [BOOT_ENV.bucket]: "nativelink-cas-123456789012",
      [BOOT_ENV.schedulerHost]: "scheduler.internal.example.com",
      [BOOT_ENV.maxInflightTasks]: expect.stringMatching(/^[1-9]\d*$/),
      [BOOT_ENV.workerCacheBytes]: String(800 * GIB),
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:1",
    });
  });

  it("honours the percentages role.env may set", async () => {
    const cas = await bootstrap("cas", ["NATIVELINK_MEMORY_PERCENT=50"]);
    const budget = MEMORY_BYTES / 2;
    expect(cas[BOOT_ENV.acMemoryBytes]).toBe(String(Math.floor(budget / 10)));
    await imds.close();
    instance.remove();
    // A leading zero is still base 10.
    const worker = await bootstrap("worker", ["NATIVELINK_DISK_PERCENT=060"]);
    expect(worker[BOOT_ENV.workerCacheBytes]).toBe(String(600 * GIB));
  });

  it("writes the file for nativelink.service's EnvironmentFile: a comment, then KEY=value lines", async () => {
    await bootstrap("worker");
    const lines = (instance.envFile() ?? "").trimEnd().split("\n");
    expect(lines[0]).toMatch(/^# Written by nativelink-bootstrap/);
    for (const line of lines.slice(1)) expect(line).toMatch(/^[A-Z_][A-Z0-9_]*=[^\s"'$`\\]+$/);
  });
});

describe("nativelink-bootstrap: the workers' firewall (fake iptables here; bootstrap-firewall.test.ts runs the real one)", () => {
  async function failingWorker(extra: readonly string[]) {
    imds = await startFakeImds({ tags: { "nativelink:role": "worker", "nativelink:deployment": "nativelink" } });
    instance = new FakeInstance([ROOT_VOLUME, instanceStoreDisk(1)]);
    instance.writeRoleFile(roleFile("worker", extra));
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code).toBe(1);
    expect(instance.envFile()).toBeUndefined();
    return result.stderr;
  }

  /** Runs `failingWorker` again on a fresh instance. */
  async function againFailingWorker(extra: readonly string[]) {
    await imds.close();
    instance.remove();
    return failingWorker(extra);
  }

  it("refuses the old single action user: each action runs as a uid of the pool NATIVELINK_ACTION_UIDS", async () => {
    expect(await failingWorker(["NATIVELINK_ACTION_USER=nobody"])).toContain(
      "NATIVELINK_ACTION_USER is no longer read: each action runs as a uid of its own from NATIVELINK_ACTION_UIDS",
    );
  });

  it("refuses a pool that is not a range of non-root uids, or that holds another account's uid or gid", async () => {
    expect(await failingWorker(["NATIVELINK_ACTION_UIDS=0-10"])).toContain("NATIVELINK_ACTION_UIDS=0-10 is not a range FIRST-LAST of non-root uids");
    for (const range of ["100", "200-100", "1-99999999999", "'70000-70010"]) {
      expect(await againFailingWorker([`NATIVELINK_ACTION_UIDS=${range}`])).toContain(
        `NATIVELINK_ACTION_UIDS=${range} is not a range FIRST-LAST of non-root uids`,
      );
    }
    expect(await againFailingWorker(["NATIVELINK_ACTION_UIDS=65530-65540"])).toContain(
      "NATIVELINK_ACTION_UIDS=65530-65540 holds the passwd entry nobody (id 65534): actions would run as it",
    );
  });

  it("refuses a worker API port that is not a port", async () => {
    expect(await failingWorker(["NATIVELINK_WORKER_API_PORT=http"])).toContain("NATIVELINK_WORKER_API_PORT=http is not a TCP port");
  });

  it("sets fs.protected_hardlinks and fs.protected_symlinks to 1, and stops when the kernel keeps another value", async () => {
    await bootstrap("worker");
    expect(instance.calls()).toContain("sysctl -q -w fs.protected_hardlinks=1 fs.protected_symlinks=1");
    expect(instance.calls().filter((call) => call.startsWith("sysctl -n "))).toEqual(["sysctl -n fs.protected_hardlinks", "sysctl -n fs.protected_symlinks"]);
    await imds.close();
    instance.remove();
    imds = await startFakeImds({ tags: { "nativelink:role": "worker", "nativelink:deployment": "nativelink" } });
    instance = new FakeInstance([ROOT_VOLUME, instanceStoreDisk(1)]);
    instance.writeRoleFile(roleFile("worker"));
    instance.writeState("sysctl-ignores", "");
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("fs.protected_hardlinks is not 1 after setting it: refusing to run actions without it");
    expect(instance.envFile()).toBeUndefined();
    expect(instance.calls().filter((call) => / -I OUTPUT /.test(call))).toEqual([]);
  });

  it("max_inflight_tasks: the vCPU count, at most the pool's slots; role.env may set it within them", async () => {
    const cpus = Number(spawnSync("nproc", { encoding: "utf8" }).stdout.trim());
    expect((await bootstrap("worker"))[BOOT_ENV.maxInflightTasks]).toBe(String(Math.min(cpus, 256)));
    await imds.close();
    instance.remove();
    expect((await bootstrap("worker", ["NATIVELINK_ACTION_UIDS=70000-70000"]))[BOOT_ENV.maxInflightTasks]).toBe("1");
    await imds.close();
    instance.remove();
    expect((await bootstrap("worker", ["NATIVELINK_ACTION_UIDS=70000-70009", "NATIVELINK_MAX_INFLIGHT_TASKS=10"]))[BOOT_ENV.maxInflightTasks]).toBe("10");
    expect(await againFailingWorker(["NATIVELINK_ACTION_UIDS=70000-70009", "NATIVELINK_MAX_INFLIGHT_TASKS=11"])).toContain(
      "NATIVELINK_MAX_INFLIGHT_TASKS=11 is not between 1 and 10 (the slots of NATIVELINK_ACTION_UIDS)",
    );
  });

  it("cas and scheduler instances get no firewall rules", async () => {
    await bootstrap("cas");
    expect(instance.calls().filter((call) => /^ip6?tables /.test(call))).toEqual([]);
  });

  it("workers: four rules (metadata and worker API, IPv4 and IPv6), each added once over two runs", async () => {
    await bootstrap("worker", ["NATIVELINK_WORKER_API_PORT=50062"]);
    expect((await instance.runBootstrap(imds.endpoint)).code).toBe(0);
    const added = instance.calls().filter((call) => / -I OUTPUT 1 /.test(call));
    expect(added).toHaveLength(4);
    expect(added.filter((call) => call.includes("--dport 50062"))).toHaveLength(2);
    expect(added.filter((call) => call.includes("-m owner --uid-owner 70000-70255 "))).toHaveLength(4);
  });
});
