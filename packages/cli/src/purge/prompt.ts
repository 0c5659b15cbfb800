// Asks the person at the terminal to type the bucket name before anything is deleted.
import { createInterface } from "node:readline/promises";
import type { CliIo } from "../io.js";

/** True when the typed line is exactly the bucket name; false on anything else, end of input or Ctrl-C. */
export async function confirmByTypingName(io: CliIo, bucket: string, what: string, signal?: AbortSignal): Promise<boolean> {
  const readline = createInterface({ input: io.stdin, output: io.stderr, terminal: false });
  const cancelled = new AbortController();
  // Ctrl-C at the prompt means no; so does the input ending.
  readline.once("SIGINT", () => cancelled.abort());
  readline.once("close", () => cancelled.abort());
  signal?.addEventListener("abort", () => cancelled.abort(), { once: true });
  try {
    const answer = await readline.question(`Delete ${what} from ${bucket}? Type the bucket name to confirm: `, { signal: cancelled.signal });
    return answer.trim() === bucket;
  } catch {
    return false;
  } finally {
    readline.close();
  }
}
