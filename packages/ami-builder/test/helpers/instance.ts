import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { imageDirectory } from "../../src/image-files.js";
import { ROOT_VOLUME, writeFakeTools, type BlockDevice } from "./fake-tools.js";

const execFileAsync = promisify(execFile);

export const BOOTSTRAP = join(imageDirectory(), "bin/nativelink-bootstrap");
export const PLATFORM_PROPERTY = join(imageDirectory(), "bin/nativelink-platform-property");

/** 16 GiB of memory, as /proc/meminfo reports it (KiB). */
export const MEM_TOTAL_KIB = 16 * 1024 * 1024;

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A temporary instance: a root with etc/, mnt/ and proc/, fake disk tools on PATH and their state.
 * The bootstrap runs for real against it (async, so the fake IMDS in this process can answer).
 */
export class FakeInstance {
  readonly directory = mkdtempSync(join(tmpdir(), "nativelink-bootstrap-"));
  readonly root = join(this.directory, "root");
  readonly state = join(this.directory, "state");
  /** Goes first on PATH: the fake tools. */
  readonly bin = join(this.directory, "bin");

  constructor(devices: readonly BlockDevice[] = [ROOT_VOLUME]) {
    for (const path of [join(this.root, "etc/nativelink"), join(this.root, "proc"), this.state]) mkdirSync(path, { recursive: true });
    writeFakeTools(this.bin);
    this.setDevices(devices);
    this.writeMeminfo(MEM_TOTAL_KIB);
    this.writeState("root-bytes", String(30 * 1024 ** 3));
    this.writeState("disk-bytes", String(1000 * 1024 ** 3));
  }

  setDevices(devices: readonly BlockDevice[]): void {
    this.writeState("lsblk.json", JSON.stringify({ blockdevices: devices }, null, 2));
  }

  writeState(name: string, content: string): void {
    const path = join(this.state, name);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, content);
  }

  writeMeminfo(totalKib: number): void {
    writeFileSync(
      join(this.root, "proc/meminfo"),
      `MemTotal:       ${totalKib} kB\nMemFree:        ${Math.floor(totalKib / 2)} kB\nMemAvailable:   ${Math.floor(totalKib / 2)} kB\n`,
    );
  }

  writeRoleFile(lines: readonly string[]): void {
    writeFileSync(join(this.root, "etc/nativelink/role.env"), `${lines.join("\n")}\n`);
  }

  /** The disk tools' calls so far, one command line each. */
  calls(): string[] {
    const path = join(this.state, "calls.log");
    return existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : [];
  }

  /** Calls that change disks: what a second run must never make. */
  diskChanges(): string[] {
    return this.calls().filter((call) => /^(mkfs\.ext4|mdadm|mount) /.test(call));
  }

  /** Forgets mounts and calls, as a reboot would (the disks keep their contents). */
  reboot(): void {
    rmSync(join(this.state, "mounts"), { force: true });
    rmSync(join(this.state, "calls.log"), { force: true });
  }

  envFile(): string | undefined {
    const path = join(this.root, "etc/nativelink/env");
    return existsSync(path) ? readFileSync(path, "utf8") : undefined;
  }

  /** `KEY=value` pairs of the env file, without its comment lines. */
  envValues(): Record<string, string> {
    const entries = (this.envFile() ?? "")
      .split("\n")
      .filter((line) => line && !line.startsWith("#"))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)] as const);
    return Object.fromEntries(entries);
  }

  get mountPoint(): string {
    return join(this.root, "mnt/nativelink");
  }

  async runBootstrap(imdsEndpoint: string, extraEnv: Record<string, string> = {}): Promise<RunResult> {
    return this.run(BOOTSTRAP, [], { IMDS_ENDPOINT: imdsEndpoint, IMDS_RETRIES: "0", ...extraEnv });
  }

  async run(command: string, args: readonly string[], env: Record<string, string>): Promise<RunResult> {
    try {
      const { stdout, stderr } = await execFileAsync(command, [...args], {
        env: { PATH: `${this.bin}:${process.env.PATH ?? "/usr/bin:/bin"}`, NATIVELINK_ROOT: this.root, FAKE_STATE: this.state, ...env },
        timeout: 30_000,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof failed.code === "number" ? failed.code : -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
    }
  }

  remove(): void {
    rmSync(this.directory, { recursive: true, force: true });
  }
}
