// One progress bar per release asset on stderr while they download; nothing when stderr is not a terminal.
import { MultiBar, type SingleBar } from "cli-progress";
import type { OutputStream } from "../io.js";

export interface DownloadProgress {
  /** A callback for one file's progress: bytes received so far, and the size the server announced. */
  track(name: string): (received: number, total: number | undefined) => void;
  stop(): void;
}

const silent: DownloadProgress = { track: () => () => undefined, stop: () => undefined };

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export function downloadProgress(stream: OutputStream): DownloadProgress {
  if (!stream.isTTY) return silent;
  const bars = new MultiBar({
    stream: stream as NodeJS.WritableStream,
    format: "{name} [{bar}] {percentage}% | {received} of {size}",
    hideCursor: true,
    clearOnComplete: false,
  });
  return {
    track: (name) => {
      let bar: SingleBar | undefined;
      return (received, total) => {
        const size = total ?? received;
        bar ??= bars.create(size, 0, { name, received: mib(0), size: total === undefined ? "?" : mib(size) });
        if (bar.getTotal() !== size) bar.setTotal(size);
        bar.update(received, { received: mib(received) });
      };
    },
    stop: () => bars.stop(),
  };
}
