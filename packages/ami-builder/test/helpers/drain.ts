import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { imageDirectory } from "../../src/image-files.js";
import { writeDrainFakeTools } from "./fake-tools.js";
import { FakeInstance } from "./instance.js";

export const DRAIN_WATCHER = join(imageDirectory(), "bin/nativelink-drain-watcher");
export const DRAIN_WORKER = join(imageDirectory(), "bin/nativelink-drain-worker");

/** The scheduler name of the cluster's scheduler configuration (role.env NATIVELINK_SCHEDULER_NAME). */
export const SCHEDULER_NAME = "MAIN_SCHEDULER";
/** The worker's work_directory (role.env NATIVELINK_WORK_DIRECTORY), under the instance's root in the tests. */
export const WORK_DIRECTORY = "/mnt/nativelink/work";

/** role.env of a worker, as the cluster's user data writes it; by default its admin URL reaches nothing. */
export function workerRole(adminUrl = "http://127.0.0.1:9/admin"): string[] {
  return [
    "NATIVELINK_ROLE=worker",
    "NATIVELINK_DEPLOYMENT=ci",
    "NATIVELINK_BUCKET=ci-cas-123456789012",
    "NATIVELINK_REGION=eu-west-1",
    "NATIVELINK_SCHEDULER_HOST=scheduler.internal.example.com",
    "NATIVELINK_LIFECYCLE_HOOK=ci-drain",
    `NATIVELINK_ADMIN_URL=${adminUrl}`,
    `NATIVELINK_SCHEDULER_NAME=${SCHEDULER_NAME}`,
    `NATIVELINK_WORK_DIRECTORY=${WORK_DIRECTORY}`,
  ];
}
export const WORKER_ROLE = workerRole();

/** How often the watcher polls in the tests, and how long it waits to see a worker stay idle, in seconds. */
export const POLL_SECONDS = 0.1;
export const GRACE_SECONDS = 0.2;

/** NativeLink's log line at a worker's registration, coloured as the real binary writes it to the journal. */
export function registeredLine(workerId: string): string {
  return (
    `  \u001b[2m2026-12-03T23:16:37.346133Z\u001b[0m \u001b[32m INFO\u001b[0m \u001b[1;32mnativelink_worker::local_worker\u001b[0m\u001b[32m: ` +
    `\u001b[32mWorker registered with scheduler, \u001b[1;32mworker_id\u001b[0m\u001b[32m: ${workerId}\u001b[0m`
  );
}

/** A watcher running in the background; stop() ends it and everything it started (its process group). */
export class RunningWatcher {
  stderr = "";
  exitCode: number | null = null;
  private readonly exited: Promise<void>;

  constructor(private readonly child: ChildProcess) {
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (this.stderr += chunk));
    child.stdout?.resume();
    this.exited = new Promise((resolve) =>
      child.on("exit", (code) => {
        this.exitCode = code ?? -1;
        resolve();
      }),
    );
  }

  get running(): boolean {
    return this.exitCode === null;
  }

  /** Waits until `condition` holds; fails with `what` and the watcher's log after `timeoutMs`. */
  async waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the watcher logged:\n${this.stderr}`);
      await sleep(25);
    }
  }

  /** Waits for the watcher to exit by itself; returns its exit code. */
  async exit(timeoutMs = 10_000): Promise<number | null> {
    await Promise.race([this.exited, sleep(timeoutMs)]);
    return this.exitCode;
  }

  async stop(): Promise<void> {
    if (!this.running || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
    await this.exit(5_000);
  }
}

/** A temporary worker: a root with role.env, fake systemctl and aws on PATH, NativeLink "running". */
export class DrainInstance extends FakeInstance {
  private readonly watchers: RunningWatcher[] = [];
  private readonly standIns: ChildProcess[] = [];

  constructor(role: readonly string[] = WORKER_ROLE) {
    super();
    writeDrainFakeTools(this.bin);
    this.writeRoleFile(role);
    this.writeState("nativelink-active", "");
  }

  /** Starts the watcher for real against `imdsEndpoint`, polling every POLL_SECONDS. */
  startWatcher(imdsEndpoint: string, extraEnv: Record<string, string> = {}): RunningWatcher {
    const child = spawn(DRAIN_WATCHER, [], {
      env: {
        PATH: `${this.bin}:${process.env.PATH ?? "/usr/bin:/bin"}`,
        NATIVELINK_ROOT: this.root,
        FAKE_STATE: this.state,
        IMDS_ENDPOINT: imdsEndpoint,
        DRAIN_POLL_SECONDS: String(POLL_SECONDS),
        DRAIN_GRACE_SECONDS: String(GRACE_SECONDS),
        ...extraEnv,
      },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const watcher = new RunningWatcher(child);
    this.watchers.push(watcher);
    return watcher;
  }

  /** What the watcher did: admin requests, stops, lifecycle calls, the fake's "(… stopped)" marks; not what it read. */
  actions(): string[] {
    return this.calls().filter((call) => !/^(systemctl (is-active|show)|journalctl) /.test(call));
  }

  /** NativeLink's log in the journal since its unit started (what `journalctl` prints). */
  writeNativeLinkLog(lines: readonly string[]): void {
    this.writeState("nativelink.log", lines.map((line) => `${line}\n`).join(""));
  }

  /**
   * Starts a stand-in for NativeLink's main process whose one child (an "action") runs `seconds`, and makes it
   * the unit's MainPID. stopWatchers() ends it.
   */
  runActionFor(seconds: number): void {
    const main = spawn("bash", ["-c", `sleep ${seconds} & wait`], { detached: true, stdio: "ignore" });
    this.standIns.push(main);
    this.writeState("main-pid", `${main.pid}\n`);
  }

  /** The worker's work directory on this instance, where each running action has a directory. */
  get workDirectory(): string {
    return join(this.root, WORK_DIRECTORY);
  }

  /** Stops the watchers and the stand-in processes, with everything they started. */
  async stopWatchers(): Promise<void> {
    await Promise.all(this.watchers.map((watcher) => watcher.stop()));
    for (const standIn of this.standIns) {
      try {
        if (standIn.pid !== undefined && standIn.exitCode === null) process.kill(-standIn.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
}
