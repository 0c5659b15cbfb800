import { execFile, spawnSync } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { INSTALL_PATHS, imageFile } from "../../src/image-files.js";

const execFileAsync = promisify(execFile);

/**
 * The wrapper as the image installs it, with the two lines it documents for tests pointed elsewhere: its
 * interpreter (a setgid copy of bash, as the image's) and its role file. Nothing else differs (checked). The shared
 * library (`nativelink-common`) goes beside it, as the image installs it.
 */
export function installActionRunner(directory: string, roleFile: string): string {
  const shell = join(directory, "bash-secure-exec");
  copyFileSync("/bin/bash", shell);
  chownSync(shell, 0, groupId("nogroup"));
  chmodSync(shell, 0o2755);
  const original = imageFile("bin/nativelink-run-action").split("\n");
  const copy = original.map((line, index) => {
    if (index === 0) return line.replace(INSTALL_PATHS.actionShell, shell);
    return line.startsWith("readonly ROLE_FILE=") ? `readonly ROLE_FILE=${roleFile}` : line;
  });
  const changed = copy.filter((line, index) => line !== original[index]);
  if (changed.length !== 2) throw new Error(`expected to change the interpreter and ROLE_FILE lines, changed: ${changed.join(" | ")}`);
  const runner = join(directory, "nativelink-run-action");
  writeFileSync(runner, copy.join("\n"), { mode: 0o755 });
  // The library it sources from beside itself, as installed.
  writeFileSync(join(directory, "nativelink-common"), imageFile("bin/nativelink-common"), { mode: 0o644 });
  return runner;
}

export function groupId(name: string): number {
  const entry = spawnSync("getent", ["group", name], { encoding: "utf8" }).stdout.split(":");
  const id = Number(entry[2]);
  if (!Number.isInteger(id)) throw new Error(`no group ${name}`);
  return id;
}

export function userId(name: string): number {
  return Number(spawnSync("id", ["-u", name], { encoding: "utf8" }).stdout.trim());
}

export interface BazelResult {
  readonly code: number;
  readonly output: string;
}

/** A Bazel workspace whose builds run on a remote executor; one Bazel server for all builds, shut down by `stop`. */
export class BazelWorkspace {
  readonly directory: string;
  private readonly outputRoot: string;

  constructor(parent: string, build: string, files: Readonly<Record<string, string>> = {}) {
    this.directory = join(parent, "workspace");
    this.outputRoot = join(parent, "bazel-root");
    mkdirSync(this.directory, { recursive: true });
    writeFileSync(join(this.directory, "WORKSPACE"), "");
    writeFileSync(join(this.directory, "BUILD"), build);
    for (const [name, content] of Object.entries(files)) writeFileSync(join(this.directory, name), content);
  }

  async build(executorPort: number, target: string, flags: readonly string[] = []): Promise<BazelResult> {
    const args = [
      `--output_user_root=${this.outputRoot}`,
      "--max_idle_secs=120",
      "build",
      `--remote_executor=grpc://127.0.0.1:${executorPort}`,
      "--spawn_strategy=remote",
      "--noremote_accept_cached",
      "--color=no",
      "--curses=no",
      ...flags,
      target,
    ];
    try {
      const { stdout, stderr } = await execFileAsync("bazel", args, { cwd: this.directory, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 });
      return { code: 0, output: `${stdout}${stderr}` };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof failed.code === "number" ? failed.code : -1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
    }
  }

  async stop(): Promise<void> {
    await execFileAsync("bazel", [`--output_user_root=${this.outputRoot}`, "shutdown"], { cwd: this.directory }).catch(() => undefined);
  }
}

/** Whether Bazel can run here. */
export function bazelAvailable(): boolean {
  return spawnSync("bazel", ["--version"], { stdio: "ignore" }).status === 0;
}

/** Processes whose command line contains `marker` (any user, any PID namespace). */
export function processesWith(marker: string): string[] {
  const result = spawnSync("ps", ["-eo", "pid=,user=,args="], { encoding: "utf8" });
  return result.stdout.split("\n").filter((line) => line.includes(marker) && !line.includes("ps -eo"));
}
