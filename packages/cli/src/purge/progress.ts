// A progress bar on stderr while a bucket is emptied; nothing when the output is JSON or not a terminal.
import { SingleBar } from "cli-progress";
import type { OutputStream } from "../io.js";

export interface Progress {
  advance(objects: number): void;
  stop(): void;
}

const silent: Progress = { advance: () => undefined, stop: () => undefined };

export function bucketProgress(stream: OutputStream, enabled: boolean, bucket: string, total: number): Progress {
  if (!enabled || !stream.isTTY) return silent;
  const bar = new SingleBar({
    stream: stream as NodeJS.WritableStream,
    format: `${bucket} [{bar}] {value}/{total} objects | {percentage}% | ETA {eta_formatted}`,
    hideCursor: true,
    etaBuffer: 20,
  });
  bar.start(total, 0);
  return { advance: (objects) => bar.increment(objects), stop: () => bar.stop() };
}
