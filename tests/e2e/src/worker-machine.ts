// The worker's instance on this machine, as the image delivers it: a network and mount namespace of its own, where the
// image's bootstrap installs its real firewall (iptables rules for the action user) without touching this machine,
// instance metadata answers on its real address, the image's action user exists, and the ports the worker dials lead
// to the cluster the suite runs here. NativeLink runs its actions through a copy of the image's action wrapper.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ACTION_USER } from "../../../packages/ami-builder/src/action-components.js";
import { installActionRunner } from "../../../packages/ami-builder/test/helpers/action-runner.js";
import { startFakeImds, type FakeImds } from "../../../packages/ami-builder/test/helpers/fake-imds.js";
import type { FakeInstance } from "../../../packages/ami-builder/test/helpers/instance.js";
import { PrivateMachine, type CommandLine, type MachineRun } from "./namespaces.js";
import { PortForwards } from "./port-forwards.js";
import type { ProcessGroup } from "./processes.js";

/** Where EC2's instance metadata answers, inside the machine. */
export const METADATA_ENDPOINT = "http://169.254.169.254";

/** The user actions run as, as `id` names it inside the machine. */
export interface ActionUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

export interface WorkerMachineOptions {
  readonly processes: ProcessGroup;
  /** A directory of the suite's, root's only: the machine's account files and the action wrapper's copy go there. */
  readonly directory: string;
  /** The worker's instance: the machine's /mnt is its `mnt/`; the wrapper reads its `etc/nativelink/role.env`. */
  readonly instance: FakeInstance;
  /** The cluster's hosts file, the machine's /etc/hosts ("names in a private /etc/hosts"). */
  readonly hostsFile: string;
  /** Port inside → port on this machine's loopback: what the worker dials ("the worker's own network"). */
  readonly forwards: ReadonlyMap<number, number>;
  /** The instance's tags and metadata items, served at {@link METADATA_ENDPOINT}. */
  readonly metadata: { readonly tags: Readonly<Record<string, string>>; readonly items: Readonly<Record<string, string>> };
}

export class WorkerMachine {
  private constructor(
    private readonly machine: PrivateMachine,
    readonly imds: FakeImds,
    private readonly forwards: PortForwards,
    readonly actionUser: ActionUser,
    /** The copy of `image/bin/nativelink-run-action` the worker's `entrypoint` names ("the action wrapper's copy"). */
    readonly actionRunner: string,
  ) {}

  static async start(options: WorkerMachineOptions): Promise<WorkerMachine> {
    const { directory, instance } = options;
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const actionUser = writeAccountFiles(directory);
    const actionRunner = installActionRunner(directory, join(instance.root, "etc/nativelink/role.env"));
    mkdirSync(join(instance.root, "mnt"), { recursive: true });
    const machine = await PrivateMachine.start(options.processes, "worker-machine", {
      mnt: join(instance.root, "mnt"),
      files: { "/etc/hosts": options.hostsFile, "/etc/passwd": join(directory, "passwd"), "/etc/group": join(directory, "group") },
      metadataAddresses: true,
    });
    const handle = await machine.listen("169.254.169.254", 80);
    const imds = await startFakeImds({ tags: options.metadata.tags, metadata: options.metadata.items, listen: { handle, endpoint: METADATA_ENDPOINT } });
    try {
      return new WorkerMachine(machine, imds, await PortForwards.open(machine, options.forwards), actionUser, actionRunner);
    } catch (error) {
      await imds.close();
      throw error;
    }
  }

  /** `command` on the worker's instance: in its network and mount namespaces. */
  wrap(command: CommandLine): CommandLine {
    return this.machine.wrap(command);
  }

  /** Runs a short command on the worker's instance, as root. */
  run(command: string, args: readonly string[]): Promise<MachineRun> {
    return this.machine.run(command, args);
  }

  /** Stops serving metadata and forwarding (the machine itself ends with its holder process). */
  async close(): Promise<void> {
    this.forwards.close();
    await this.imds.close();
  }
}

/**
 * "the action user in a private /etc/passwd": copies of this machine's /etc/passwd and /etc/group with the image's
 * action user, on a system id (below 1000, as `useradd --system` picks) that neither file uses.
 */
function writeAccountFiles(directory: string): ActionUser {
  const [passwd, group] = ["/etc/passwd", "/etc/group"].map((path) =>
    readFileSync(path, "utf8")
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith(`${ACTION_USER}:`)),
  );
  const taken = new Set([...passwd!, ...group!].map((line) => Number(line.split(":")[2])));
  let id = 999;
  while (taken.has(id)) id -= 1;
  if (id < 100) throw new Error("no free system id below 1000 for the action user in /etc/passwd and /etc/group");
  writeFileSync(join(directory, "passwd"), [...passwd!, `${ACTION_USER}:x:${id}:${id}::/nonexistent:/usr/sbin/nologin`, ""].join("\n"), { mode: 0o644 });
  writeFileSync(join(directory, "group"), [...group!, `${ACTION_USER}:x:${id}:`, ""].join("\n"), { mode: 0o644 });
  return { name: ACTION_USER, uid: id, gid: id };
}
