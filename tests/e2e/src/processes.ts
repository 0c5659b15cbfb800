// Processes the suite starts: each in its own process group, its output in a log file, and all of them killed at
// the end of a test file, on failure too (and with SIGKILL if the test runner itself exits).
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export interface StartOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/** NativeLink colours its log even into a file; the suite reads it without the escapes (ESC [ … m). */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
export function stripAnsi(text: string): string {
  return text.replace(ANSI_COLOUR, "");
}

/** A process the suite started. */
export class RunningProcess {
  exitCode: number | null = null;
  signal: NodeJS.Signals | null = null;
  readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    readonly logPath: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) =>
      child.on("exit", (code, signal) => {
        this.exitCode = code;
        this.signal = signal;
        resolve();
      }),
    );
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} did not start; see ${this.logPath}`);
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitCode === null && this.signal === null;
  }

  /** Its output so far, colours removed. */
  log(): string {
    return existsSync(this.logPath) ? stripAnsi(readFileSync(this.logPath, "utf8")) : "";
  }

  /** The last lines of its output, for failure messages. */
  tail(lines = 40): string {
    return this.log()
      .split("\n")
      .filter((line) => line.trim() !== "")
      .slice(-lines)
      .join("\n");
  }

  /** Waits until its output matches `pattern` (`count` times); fails early if it exits, with its log. */
  async waitForLog(pattern: RegExp, what: string, timeoutMs = 30_000, count = 1): Promise<void> {
    const global = new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`);
    const deadline = Date.now() + timeoutMs;
    while ((this.log().match(global)?.length ?? 0) < count) {
      if (!this.running) throw new Error(`${this.name} exited (${this.exitCode ?? this.signal}) before ${what}; its log:\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} from ${this.name}; its log:\n${this.tail()}`);
      await sleep(50);
    }
  }

  /** Waits for it to exit by itself; true if it did within `timeoutMs`. */
  async waitForExit(timeoutMs: number): Promise<boolean> {
    await Promise.race([this.exited, sleep(timeoutMs)]);
    return !this.running;
  }

  /**
   * Ends it and everything it started: `signal` to its process group first (NativeLink leaves on SIGTERM), SIGKILL
   * to what is left after `graceMs`, including descendants in other process groups (NativeLink starts each action
   * in a group of its own).
   */
  async stop(signal: NodeJS.Signals = "SIGTERM", graceMs = 3_000): Promise<void> {
    if (!this.running || this.child.pid === undefined) return;
    const descendants = descendantPids(this.child.pid);
    signalGroup(this.child.pid, signal);
    if (await this.waitForExit(graceMs)) {
      for (const pid of descendants) signalPid(pid, "SIGKILL");
      return;
    }
    for (const pid of [...descendantPids(this.child.pid), ...descendants]) signalPid(pid, "SIGKILL");
    signalGroup(this.child.pid, "SIGKILL");
    await this.waitForExit(5_000);
  }
}

/** Starts and, at the end, stops the processes of one test file. */
export class ProcessGroup {
  private readonly processes: RunningProcess[] = [];
  private readonly killOnExit = () => {
    for (const started of this.processes) {
      if (started.running) {
        for (const pid of descendantPids(started.pid)) signalPid(pid, "SIGKILL");
        signalGroup(started.pid, "SIGKILL");
      }
    }
  };

  constructor(private readonly logDirectory: string) {
    process.once("exit", this.killOnExit);
  }

  /** Starts `command` detached (its own process group), stdout and stderr appended to `<logDirectory>/<name>.log`. */
  start(name: string, command: string, args: readonly string[], options: StartOptions = {}): RunningProcess {
    const logPath = join(this.logDirectory, `${name}.log`);
    const output = openSync(logPath, "a");
    try {
      const child = spawn(command, [...args], { env: options.env ?? process.env, cwd: options.cwd, detached: true, stdio: ["ignore", output, output] });
      const started = new RunningProcess(name, logPath, child);
      child.on("error", () => undefined);
      this.processes.push(started);
      return started;
    } finally {
      closeSync(output);
    }
  }

  /** Stops every process it started, last started first. */
  async stopAll(): Promise<void> {
    for (const started of [...this.processes].reverse()) await started.stop();
    process.removeListener("exit", this.killOnExit);
  }
}

/** Every process below `pid`, read from /proc. */
export function descendantPids(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name (field 2) may hold spaces; the parent pid is the second field after its ")".
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
