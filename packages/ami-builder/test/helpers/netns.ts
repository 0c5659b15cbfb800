import { execFile, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { Server } from "node:net";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** What a command run in the namespace did. */
export interface NamespaceRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A network namespace of its own (root only): loopback up, holding the instance-metadata addresses too
 * (169.254.169.254, fd00:ec2::254), so a server listening there inside the namespace plays EC2's
 * metadata service, and the host's firewall and routes are never touched. `remove()` deletes it (always call it).
 */
export class NetworkNamespace {
  private constructor(readonly name: string) {}

  /** Whether this process may create one: root, with `ip` and `iptables`. */
  static available(): boolean {
    const has = (command: string) => spawnSync(command, ["-V"], { stdio: "ignore" }).status === 0;
    return process.getuid?.() === 0 && has("ip") && spawnSync("iptables", ["--version"], { stdio: "ignore" }).status === 0;
  }

  static create(): NetworkNamespace {
    const namespace = new NetworkNamespace(`nl-test-${process.pid}-${randomBytes(3).toString("hex")}`);
    const ip = (...args: string[]) => {
      const result = spawnSync("ip", args, { encoding: "utf8" });
      if (result.status !== 0) throw new Error(`ip ${args.join(" ")}: ${result.stderr}`);
    };
    ip("netns", "add", namespace.name);
    try {
      ip("-n", namespace.name, "link", "set", "lo", "up");
      // On loopback: some kernels (this project's test machines) have no dummy interfaces.
      ip("-n", namespace.name, "address", "add", "169.254.169.254/32", "dev", "lo");
      ip("-n", namespace.name, "-6", "address", "add", "fd00:ec2::254/128", "dev", "lo", "nodad");
    } catch (error) {
      namespace.remove();
      throw error;
    }
    return namespace;
  }

  /** Runs a command inside the namespace (asynchronously, so servers in this process keep answering). */
  async run(command: string, args: readonly string[], env: Record<string, string> = {}): Promise<NamespaceRun> {
    try {
      const { stdout, stderr } = await execFileAsync("ip", ["netns", "exec", this.name, command, ...args], {
        env: { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", ...env },
        timeout: 30_000,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof failed.code === "number" ? failed.code : -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
    }
  }

  /** A TCP socket listening on `host:port` inside the namespace (see {@link listenInside}). */
  listen(host: string, port: number): Promise<Server> {
    return listenInside(["ip", "netns", "exec", this.name], host, port);
  }

  remove(): void {
    spawnSync("ip", ["netns", "delete", this.name], { stdio: "ignore" });
  }
}

/**
 * A TCP socket listening on `host:port` inside a network namespace, handed to this process: a child Node process
 * started with `enter` (a command prefix that runs its arguments in the namespace: `ip netns exec NAME`,
 * `nsenter --target=PID --net --`) binds it and sends it over its IPC channel (a socket stays in the namespace it was
 * created in). Serve on it with `server.listen(handle)`.
 */
export function listenInside(enter: readonly string[], host: string, port: number): Promise<Server> {
  const script = `
    const server = require("node:net").createServer();
    server.on("error", (error) => { console.error(error.message); process.exit(1); });
    server.listen(${port}, ${JSON.stringify(host)}, () => process.send("listening", server, () => process.exit(0)));`;
  const [command, ...args] = enter;
  const child = spawn(command!, [...args, process.execPath, "-e", script], { stdio: ["ignore", "inherit", "pipe", "ipc"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once("message", (_message, handle) => resolve(handle as Server));
    child.once("exit", (code) => reject(new Error(`could not listen on ${host}:${port} in the namespace of \`${enter.join(" ")}\` (exit ${code}): ${stderr}`)));
  });
}
