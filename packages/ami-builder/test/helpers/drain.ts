import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { imageDirectory } from "../../src/image-files.js";
import { writeDrainFakeTools } from "./fake-tools.js";
import { FakeInstance } from "./instance.js";

export const DRAIN_WATCHER = join(imageDirectory(), "bin/nativelink-drain-watcher");

/** role.env of a worker, as the cluster's user data writes it. */
export const WORKER_ROLE = [
  "NATIVELINK_ROLE=worker",
  "NATIVELINK_DEPLOYMENT=ci",
  "NATIVELINK_BUCKET=ci-cas-123456789012",
  "NATIVELINK_REGION=eu-west-1",
  "NATIVELINK_SCHEDULER_HOST=scheduler.internal.example.com",
  "NATIVELINK_LIFECYCLE_HOOK=ci-drain",
];

/** How often the watcher polls in the tests, in seconds. */
export const POLL_SECONDS = 0.1;

/** A watcher running in the background; stop() ends it and everything it started (its process group). */
export class RunningWatcher {
  stderr = "";
  exitCode: number | null = null;
  private readonly exited: Promise<void>;

  constructor(private readonly child: ChildProcess) {
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (this.stderr += chunk));
    child.stdout?.resume();
    this.exited = new Promise((resolve) => child.on("exit", (code) => {
      this.exitCode = code ?? -1;
      resolve();
    }));
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
        ...extraEnv,
      },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const watcher = new RunningWatcher(child);
    this.watchers.push(watcher);
    return watcher;
  }

  /** What the watcher did: stops, lifecycle calls, and the fake's "(… stopped)" marks; not the is-active checks. */
  actions(): string[] {
    return this.calls().filter((call) => !call.startsWith("systemctl is-active"));
  }

  async stopWatchers(): Promise<void> {
    await Promise.all(this.watchers.map((watcher) => watcher.stop()));
  }
}
