// Ctrl-C during long work: the first one asks the work to stop at a safe point (purge: after the batch in
// flight); a second one kills as usual. Only installed around such work, so Ctrl-C stops anything else at once.
import type { OutputStream } from "./io.js";

export interface Interruptible {
  readonly signal: AbortSignal;
  dispose(): void;
}

/** A signal aborted by the first SIGINT (or by `outer`), until dispose(). */
export function interruptibleBySigint(stderr: OutputStream, outer?: AbortSignal): Interruptible {
  const controller = new AbortController();
  const onSigint = () => {
    stderr.write("\nnativelink-aws: stopping after the batch in flight (Ctrl-C again to kill)\n");
    controller.abort();
  };
  process.once("SIGINT", onSigint);
  return {
    signal: outer ? AbortSignal.any([outer, controller.signal]) : controller.signal,
    dispose: () => process.removeListener("SIGINT", onSigint),
  };
}
