// Runs the CLI in-process with in-memory streams, as a user would from a shell.
import { PassThrough, Readable } from "node:stream";
import { run } from "../../src/program.js";
import type { CliIo, InputStream, OutputStream } from "../../src/io.js";

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  /** Lines typed at a terminal; makes stdin a TTY. */
  readonly typed?: string;
  readonly signal?: AbortSignal;
  /** Pretend stderr is a terminal (progress bars). */
  readonly stderrTty?: boolean;
}

function capture(tty: boolean): { stream: OutputStream; text: () => string } {
  const stream = new PassThrough() as OutputStream;
  stream.isTTY = tty;
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  return { stream, text: () => text };
}

export async function runCli(argv: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  const stdout = capture(false);
  const stderr = capture(options.stderrTty ?? false);
  const stdin = Readable.from(options.typed === undefined ? [] : [options.typed]) as InputStream;
  stdin.isTTY = options.typed !== undefined;
  const io: CliIo = { stdout: stdout.stream, stderr: stderr.stream, stdin, cwd: options.cwd ?? process.cwd(), signal: options.signal };
  const code = await run(argv, io);
  // PassThrough delivers data on the next tick.
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
