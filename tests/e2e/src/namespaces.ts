// Linux namespaces give the processes under test what an instance has without touching this machine: a private
// /etc/hosts (the names the cluster resolves through Route 53), or a private network and /mnt (a fresh instance).
import { readFileSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import type { ProcessGroup, RunningProcess } from "./processes.js";

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
  return ["unshare", ["--mount", "--propagation", "private", "--", "/bin/sh", "-c", 'mount --bind "$1" /etc/hosts && shift && exec "$@"', "sh", hostsFile, command, ...args]];
}

/**
 * A network and mount namespace like a fresh instance's: loopback up, nothing listening, an empty /mnt. NativeLink's
 * default ports and paths can be used unchanged there. Processes join it with `nsenter`.
 */
export class PrivateMachine {
  private constructor(private readonly holder: RunningProcess) {}

  static async start(processes: ProcessGroup, name: string): Promise<PrivateMachine> {
    const holder = processes.start(name, "unshare", ["--net", "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
      "ip link set lo up && mount -t tmpfs tmpfs /mnt && exec sleep infinity"]);
    const deadline = Date.now() + 10_000;
    // The shell execs sleep once loopback is up and /mnt mounted.
    while (comm(holder) !== "sleep") {
      if (!holder.running || Date.now() > deadline) throw new Error(`could not create a network namespace (unshare --net, ip link set lo up): ${holder.tail()}`);
      await sleep(20);
    }
    return new PrivateMachine(holder);
  }

  /** `command` inside this machine's network and mount namespaces. */
  wrap([command, args]: CommandLine): CommandLine {
    return ["nsenter", [`--target=${this.holder.pid}`, "--net", "--mount", "--", command, ...args]];
  }
}

function comm(process: RunningProcess): string {
  try {
    return readFileSync(`/proc/${process.pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}
