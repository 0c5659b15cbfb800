// The streams a command talks through: the process's in production, in-memory ones in tests.
import type { Readable, Writable } from "node:stream";

export type OutputStream = Writable & { isTTY?: boolean };
export type InputStream = Readable & { isTTY?: boolean };

export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin: InputStream;
  /** The directory relative paths are resolved against. */
  readonly cwd: string;
  /** Aborts long work (purge stops after the batch in flight), as Ctrl-C does; for embedding and tests. */
  readonly signal?: AbortSignal;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd() };
}

/** Writes lines to a stream, each ending in a newline. */
export function writeLines(stream: Writable, lines: readonly string[]): void {
  if (lines.length > 0) stream.write(`${lines.join("\n")}\n`);
}

export function writeJson(stream: Writable, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}
