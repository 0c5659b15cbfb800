// The worker's instance on this machine, as the image delivers it: a network and mount namespace of its own, where the
// image's bootstrap installs its real firewall (iptables rules for the action uids) without touching this machine,
// instance metadata answers on its real address, the image's action users exist, /run is empty, and the ports the
// worker dials lead to the cluster the suite runs here. NativeLink runs its actions through a copy of the image's
// action wrapper.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ACTION_FIRST_UID, ACTION_SLOTS, ACTION_USER_PREFIX, actionUserName } from "../../../packages/ami-builder/src/action-components.js";
import { installActionRunner } from "../../../packages/ami-builder/test/helpers/action-runner.js";
import { startFakeImds, type FakeImds } from "../../../packages/ami-builder/test/helpers/fake-imds.js";
import type { FakeInstance } from "../../../packages/ami-builder/test/helpers/instance.js";
import { PrivateMachine, type CommandLine, type MachineRun } from "./namespaces.js";
import { PortForwards } from "./port-forwards.js";
import type { ProcessGroup } from "./processes.js";

/** Where EC2's instance metadata answers, inside the machine. */
export const METADATA_ENDPOINT = "http://169.254.169.254";

/** The pool of users actions run as (one per running action), as the image creates it: uid = gid = first + slot. */
export interface ActionPool {
  readonly first: number;
  readonly last: number;
  /** The user's name inside the machine, by uid. */
  readonly name: (uid: number) => string;
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
    readonly actionPool: ActionPool,
    /** The copy of `image/bin/nativelink-run-action` the worker's `entrypoint` names ("the action wrapper's copy"). */
    readonly actionRunner: string,
  ) {}

  static async start(options: WorkerMachineOptions): Promise<WorkerMachine> {
    const { directory, instance } = options;
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const actionPool = writeAccountFiles(directory);
    const actionRunner = installActionRunner(directory, join(instance.root, "etc/nativelink/role.env"));
    mkdirSync(join(instance.root, "mnt"), { recursive: true });
    const machine = await PrivateMachine.start(options.processes, "worker-machine", {
      mnt: join(instance.root, "mnt"),
      files: { "/etc/hosts": options.hostsFile, "/etc/passwd": join(directory, "passwd"), "/etc/group": join(directory, "group") },
      metadataAddresses: true,
      emptyRun: true,
    });
    const handle = await machine.listen("169.254.169.254", 80);
    const imds = await startFakeImds({ tags: options.metadata.tags, metadata: options.metadata.items, listen: { handle, endpoint: METADATA_ENDPOINT } });
    try {
      return new WorkerMachine(machine, imds, await PortForwards.open(machine, options.forwards), actionPool, actionRunner);
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
 * pool of action users, `nativelink-action-<n>` with uid = gid = 70000 + n, as the actions component creates them
 * (neither file may use those ids: the bootstrap would refuse the pool).
 */
function writeAccountFiles(directory: string): ActionPool {
  const [passwd, group] = ["/etc/passwd", "/etc/group"].map((path) =>
    readFileSync(path, "utf8")
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith(ACTION_USER_PREFIX)),
  );
  const first = ACTION_FIRST_UID;
  const last = first + ACTION_SLOTS - 1;
  const clash = [...passwd!, ...group!].find((line) => Number(line.split(":")[2]) >= first && Number(line.split(":")[2]) <= last);
  if (clash) throw new Error(`this machine's account ${clash.split(":")[0]} has an id of the action pool ${first}-${last}`);
  const slots = Array.from({ length: ACTION_SLOTS }, (_, slot) => ({ name: actionUserName(slot), id: first + slot }));
  const users = slots.map(({ name, id }) => `${name}:x:${id}:${id}::/nonexistent:/usr/sbin/nologin`);
  writeFileSync(join(directory, "passwd"), [...passwd!, ...users, ""].join("\n"), { mode: 0o644 });
  writeFileSync(join(directory, "group"), [...group!, ...slots.map(({ name, id }) => `${name}:x:${id}:`), ""].join("\n"), { mode: 0o644 });
  return { first, last, name: (uid) => actionUserName(uid - first) };
}
