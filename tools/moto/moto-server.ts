// Starts moto's server mode (an HTTP emulator of the AWS APIs, pinned in tools/python/requirements.txt) on a free
// loopback port, for tests and benchmarks. The AWS SDK reaches it through AWS_ENDPOINT_URL (see motoEnvironment).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const ensureVenvScript = join(repoRoot, "tools/python/ensure-venv.mjs");
const motoServerBin = join(repoRoot, ".venv/bin/moto_server");
const startTimeoutMs = 30_000;
const stopTimeoutMs = 5_000;

export interface MotoServer {
  /** Base URL, e.g. `http://127.0.0.1:40123`: the value for `AWS_ENDPOINT_URL`. */
  readonly endpoint: string;
  /** Stops the server and removes its temporary directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartMotoOptions {
  /**
   * Record every AWS request the server receives, readable with {@link recordedRequests}.
   * @default true
   */
  readonly recordRequests?: boolean;
}

/** Creates the venv if needed (tools/python/ensure-venv.mjs), then starts moto_server on a free loopback port. */
export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  await ensureVenv();
  // A free port can be taken between our probe and moto's bind: try a few.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      return await launch(await freeLoopbackPort(), options.recordRequests ?? true);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/** The environment that points the AWS SDK (and the Lambda handlers) at a moto server, with dummy credentials. */
export function motoEnvironment(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_SESSION_TOKEN: "testing",
  };
}

export interface RecordedRequest {
  readonly method: string;
  /** Path and query, e.g. `/2013-04-01/hostedzone/Z123/rrset`. */
  readonly url: string;
  readonly headers: Record<string, string>;
  /** Decoded request body (form, XML or JSON text). */
  readonly body: string;
}

/** Every request recorded since the server started (tests that share a server filter by their own resource ids). */
export async function recordedRequests(endpoint: string): Promise<RecordedRequest[]> {
  const response = await fetch(`${endpoint}/moto-api/recorder/download-recording`);
  if (!response.ok) throw new Error(`moto recorder answered HTTP ${response.status}; start moto with recordRequests`);
  const lines = (await response.text()).split("\n").filter((line) => line.trim() !== "");
  return lines.map((line) => {
    const entry = JSON.parse(line) as { method: string; url: string; headers: Record<string, string>; body?: string; body_encoded?: boolean };
    const body = entry.body_encoded ? Buffer.from(entry.body ?? "", "base64").toString("utf8") : (entry.body ?? "");
    return { method: entry.method, url: entry.url, headers: entry.headers, body };
  });
}

function ensureVenv(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ensureVenvScript], { stdio: ["ignore", "ignore", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${ensureVenvScript} exited with ${code}; see its messages above`))));
  });
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function launch(port: number, recordRequests: boolean): Promise<MotoServer> {
  const workDir = mkdtempSync(join(tmpdir(), "moto-"));
  const recording = join(workDir, "recording.jsonl");
  writeFileSync(recording, "");
  const environment: NodeJS.ProcessEnv = { ...process.env, MOTO_RECORDER_FILEPATH: recording };
  if (recordRequests) environment.MOTO_ENABLE_RECORDING = "true";
  const child = spawn(motoServerBin, ["-H", "127.0.0.1", "-p", String(port)], { cwd: workDir, env: environment, stdio: ["ignore", "ignore", "pipe"] });
  const stderrTail: string[] = [];
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderrTail.push(chunk);
    if (stderrTail.length > 40) stderrTail.shift();
  });
  // A test runner that dies must not leave moto behind.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    process.removeListener("exit", killOnExit);
    await terminate(child);
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    await waitUntilAnswering(endpoint, child, stderrTail);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, stop };
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, stderrTail: string[]): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`moto_server exited (${child.exitCode ?? child.signalCode}) before answering:\n${stderrTail.join("")}`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${startTimeoutMs} ms:\n${stderrTail.join("")}`);
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const forceKill = setTimeout(() => child.kill("SIGKILL"), stopTimeoutMs);
    child.once("exit", () => {
      clearTimeout(forceKill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
