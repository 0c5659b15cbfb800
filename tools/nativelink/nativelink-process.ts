// Runs the real NativeLink binary (shared/bin, see its README) for tests: one process per configuration text,
// on loopback, with its log kept for the assertion messages.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The NativeLink binary for tests: `NATIVELINK_BIN`, else `shared/bin/` beside the repository (where CI and the
 * main checkout have it). Undefined when neither exists, so that a suite can say it is skipped and why.
 */
export function nativeLinkBinary(): string | undefined {
  const candidates = [process.env.NATIVELINK_BIN, join(repoRoot, "../shared/bin/nativelink-1.6.6-x86_64-linux")];
  return candidates.find((path): path is string => path !== undefined && path !== "" && existsSync(path));
}

/** Why a suite that needs the binary did not run. */
export const NO_NATIVELINK_BINARY = "no NativeLink binary: set NATIVELINK_BIN or put shared/bin/ beside the repository";

export interface NativeLinkProcess {
  readonly process: ChildProcess;
  /** Everything it printed so far (NO_COLOR, so plain text). */
  log(): string;
  /** SIGTERM, then SIGKILL after 5 s; removes its temporary directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartNativeLinkOptions {
  /** The configuration file's text (JSON5). */
  readonly config: string;
  /** Loopback ports it must listen on before this resolves. @default [] */
  readonly waitForPorts?: readonly number[];
  /** A log line to wait for (e.g. a worker's "Worker registered with scheduler"). @default undefined */
  readonly waitForLog?: string;
  /** Extra environment. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Command and arguments that run the binary (e.g. `["ip", "netns", "exec", "ns"]`). @default [] */
  readonly prefix?: readonly string[];
}

export async function startNativeLink(options: StartNativeLinkOptions): Promise<NativeLinkProcess> {
  const binary = nativeLinkBinary();
  if (!binary) throw new Error(NO_NATIVELINK_BINARY);
  const directory = mkdtempSync(join(tmpdir(), "nativelink-process-"));
  const configPath = join(directory, "config.json5");
  const logPath = join(directory, "nativelink.log");
  writeFileSync(configPath, options.config);
  const [command, ...args] = [...(options.prefix ?? []), binary, configPath];
  const child = spawn(command!, args, {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_COLOR: "1", RUST_LOG: "info", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const append = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    writeFileSync(logPath, output);
  };
  child.stdout.on("data", append);
  child.stderr.on("data", append);
  let stopped = false;
  const handle: NativeLinkProcess = {
    process: child,
    log: () => (existsSync(logPath) ? readFileSync(logPath, "utf8") : output),
    async stop() {
      if (stopped) return;
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
  try {
    await waitUntil(child, () => output, options);
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return handle;
}

async function waitUntil(child: ChildProcess, output: () => string, options: StartNativeLinkOptions): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`nativelink exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
    const ports = await Promise.all((options.waitForPorts ?? []).map(listening));
    if (ports.every(Boolean) && (options.waitForLog === undefined || output().includes(options.waitForLog))) return;
    if (Date.now() > deadline) throw new Error(`nativelink did not get ready within 30 s:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Distinct free loopback ports (a port can still be taken between this probe and its use: rare on a test machine). */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve) => {
          const server = createServer();
          server.listen(0, "127.0.0.1", () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
