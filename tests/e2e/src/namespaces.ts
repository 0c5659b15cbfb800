// Linux namespaces give the processes under test what an instance has without touching this machine: a private
// /etc/hosts (the names the cluster resolves through Route 53), or a private machine: a network of its own (its own
// ports and firewall), its own /mnt and files (a fresh instance, or the worker's instance of the cluster).
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import type { Server } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { listenInside } from "../../../packages/ami-builder/test/helpers/netns.js";
import type { ProcessGroup, RunningProcess } from "./processes.js";

const execFileAsync = promisify(execFile);

/** A command line: program and arguments. */
export type CommandLine = readonly [string, readonly string[]];

/** Fails unless the suite may create mount and network namespaces (CI runs it as root). */
export function requireRoot(): void {
  if (process.getuid?.() !== 0) {
    throw new Error("tests/e2e runs NativeLink under `unshare --mount` (a private /etc/hosts) and `unshare --net`: run it as root, as .ci/run does");
  }
}

/** Writes a hosts file that resolves `names` to loopback, beside localhost. */
export function writeHostsFile(path: string, names: readonly string[]): void {
  writeFileSync(path, ["127.0.0.1 localhost", "::1 localhost", ...names.map((name) => `127.0.0.1 ${name}`), ""].join("\n"));
}

/** `command` in a mount namespace of its own where `hostsFile` is /etc/hosts; the pid stays the command's (exec). */
export function withPrivateHosts(hostsFile: string, [command, args]: CommandLine): CommandLine {
  return [
    "unshare",
    ["--mount", "--propagation", "private", "--", "/bin/sh", "-c", 'mount --bind "$1" /etc/hosts && shift && exec "$@"', "sh", hostsFile, command, ...args],
  ];
}

export interface PrivateMachineOptions {
  /**
   * A directory of this machine that the private machine sees as its /mnt (a bind mount).
   * @default an empty tmpfs
   */
  readonly mnt?: string;
  /**
   * Files of this machine bind-mounted over the private machine's: path there → file here (e.g. `/etc/hosts`).
   * @default none
   */
  readonly files?: Readonly<Record<string, string>>;
  /**
   * Whether loopback also holds the instance-metadata addresses (169.254.169.254, fd00:ec2::254), so that a server
   * listening there plays EC2's metadata service (as in the ami-builder tests' network namespaces).
   * @default false
   */
  readonly metadataAddresses?: boolean;
  /**
   * Whether the machine's /run is an empty tmpfs, as at an instance's boot (so that what its programs keep there,
   * such as the action wrapper's slot locks, stays on it).
   * @default false
   */
  readonly emptyRun?: boolean;
}

/** What a short command run in a private machine did. */
export interface MachineRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A network and mount namespace like a fresh instance's: loopback up, nothing listening, its own /mnt and, as
 * asked, its own files. NativeLink's default ports and paths can be used unchanged there, and firewall rules
 * (iptables) installed there apply there only. Processes join it with `nsenter`; servers of this process listen in
 * it through {@link PrivateMachine.listen}.
 */
export class PrivateMachine {
  private constructor(private readonly holder: RunningProcess) {}

  static async start(processes: ProcessGroup, name: string, options: PrivateMachineOptions = {}): Promise<PrivateMachine> {
    const setup = ["set -e", "ip link set lo up"];
    if (options.metadataAddresses) setup.push("ip address add 169.254.169.254/32 dev lo", "ip -6 address add fd00:ec2::254/128 dev lo nodad");
    setup.push(options.mnt === undefined ? "mount -t tmpfs tmpfs /mnt" : 'mount --bind "$1" /mnt');
    if (options.emptyRun) setup.push("mount -t tmpfs -o mode=0755 tmpfs /run");
    // The remaining arguments: pairs of file here, path there.
    setup.push("shift", 'while [ "$#" -gt 0 ]; do mount --bind "$1" "$2"; shift 2; done', "exec sleep infinity");
    const binds = Object.entries(options.files ?? {}).flatMap(([there, here]) => [here, there]);
    const holder = processes.start(name, "unshare", [
      "--net",
      "--mount",
      "--propagation",
      "private",
      "--",
      "/bin/sh",
      "-c",
      setup.join("\n"),
      "sh",
      options.mnt ?? "",
      ...binds,
    ]);
    const deadline = Date.now() + 10_000;
    // The shell execs sleep once the machine is set up.
    while (comm(holder) !== "sleep") {
      if (!holder.running || Date.now() > deadline) throw new Error(`could not set up a private machine (unshare --net --mount, ip, mount): ${holder.tail()}`);
      await sleep(20);
    }
    return new PrivateMachine(holder);
  }

  /** `command` inside this machine's network and mount namespaces; the pid stays the command's (nsenter execs it). */
  wrap([command, args]: CommandLine): CommandLine {
    return ["nsenter", [`--target=${this.holder.pid}`, "--net", "--mount", "--", command, ...args]];
  }

  /** Runs a short command inside this machine, as root (asynchronously: servers of this process keep answering). */
  async run(command: string, args: readonly string[], timeoutMs = 30_000): Promise<MachineRun> {
    const [wrapped, wrappedArgs] = this.wrap([command, args]);
    try {
      const { stdout, stderr } = await execFileAsync(wrapped, [...wrappedArgs], { timeout: timeoutMs });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof failed.code === "number" ? failed.code : -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
    }
  }

  /** A TCP socket listening on `host:port` inside this machine, for a server of this process (`server.listen(handle)`). */
  listen(host: string, port: number): Promise<Server> {
    return listenInside(["nsenter", `--target=${this.holder.pid}`, "--net", "--"], host, port);
  }
}

function comm(process: RunningProcess): string {
  try {
    return readFileSync(`/proc/${process.pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}
