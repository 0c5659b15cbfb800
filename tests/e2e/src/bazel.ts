// A real Bazel client (Debian's bazel-bootstrap 4.2.3) on a copy of the suite's workspace, one `--batch` process per
// command so that no Bazel server outlives a test.
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import { SUITE_DIRECTORY } from "./paths.js";
import { descendantPids } from "./processes.js";

/** The suite's Bazel workspace: genrules, and the platform tests/e2e/README.md tells users to define. */
export const WORKSPACE_SOURCE = join(SUITE_DIRECTORY, "workspace");
/** The execution platform with the `exec_properties` that pick the cluster's x86_64 workers. */
export const EXECUTION_PLATFORM = "//platforms:nativelink_x86_64";

export interface BazelResult {
  readonly code: number | null;
  readonly output: string;
  /** Bazel's process summary (`INFO: 3 processes: 1 internal, 2 remote.`): count per kind, e.g. `remote cache hit`. */
  readonly processes: Readonly<Record<string, number>>;
}

export class BazelWorkspace {
  readonly directory: string;
  private readonly outputUserRoot: string;
  private readonly running = new Set<ChildProcess>();

  /** Copies the workspace into `parent` (Bazel writes its convenience symlinks there). */
  constructor(
    parent: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.directory = join(parent, "workspace");
    this.outputUserRoot = join(parent, "bazel-root");
    // Not what a reader's own first build left there (root README): their flags and Bazel's convenience symlinks.
    cpSync(WORKSPACE_SOURCE, this.directory, { recursive: true, filter: (source) => !isLocalLeftover(basename(source)) });
    mkdirSync(this.outputUserRoot, { recursive: true });
  }

  /** `bazel build` with the given flags; the platform flag is always added. */
  build(targets: readonly string[], flags: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<BazelResult> {
    return this.run(["build", `--extra_execution_platforms=${EXECUTION_PLATFORM}`, ...flags, ...targets], extraEnv);
  }

  /** Kills every Bazel command of this workspace still running, with what it started. */
  stopAll(): void {
    for (const child of this.running) kill(child);
  }

  async clean(): Promise<void> {
    const result = await this.run(["clean"]);
    if (result.code !== 0) throw new Error(`bazel clean failed:\n${result.output}`);
  }

  /** Runs `bazel --batch …` (through /usr/bin/bazel, which hands over to tools/bazel when the workspace has one). */
  run(args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}, timeoutMs = 180_000): Promise<BazelResult> {
    // Not --nosystem_rc: Debian's Bazel finds its install base through /etc/bazel/bazelrc.
    const startup = ["--batch", `--output_user_root=${this.outputUserRoot}`, "--nohome_rc"];
    return new Promise((resolve, reject) => {
      const child = spawn("bazel", [...startup, ...args], {
        cwd: this.directory,
        env: { ...this.env, ...extraEnv },
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
      this.running.add(child);
      const timer = setTimeout(() => kill(child), timeoutMs);
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(timer);
        this.running.delete(child);
        resolve({ code, output, processes: processSummary(output) });
      });
    });
  }
}

/** user.bazelrc (the flags `nativelink-aws bazelrc` wrote for a cluster), bazel-* symlinks and Bzlmod's lock file. */
export function isLocalLeftover(name: string): boolean {
  return name === "user.bazelrc" || name === "MODULE.bazel.lock" || name.startsWith("bazel-");
}

/** `INFO: 3 processes: 1 internal, 2 remote.` → `{ internal: 1, remote: 2 }` (the last summary in the output). */
export function processSummary(output: string): Record<string, number> {
  const line = [...output.matchAll(/^INFO: \d+ process(?:es)?: (.*)\.$/gm)].at(-1)?.[1];
  if (line === undefined) return {};
  return Object.fromEntries(
    line.split(", ").map((part) => {
      const [count, ...kind] = part.split(" ");
      return [kind.join(" "), Number(count)];
    }),
  );
}

function kill(child: ChildProcess): void {
  if (child.pid === undefined) return;
  for (const pid of descendantPids(child.pid)) killQuietly(pid);
  killQuietly(-child.pid);
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
