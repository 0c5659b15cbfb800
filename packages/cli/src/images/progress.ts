// One progress bar per release asset on stderr while they download; nothing when stderr is not a terminal.
import { MultiBar, type SingleBar } from "cli-progress";
import type { OutputStream } from "../io.js";

export interface DownloadProgress {
  /** A callback for one file's progress: bytes received so far, and the size the server announced. */
  track(name: string): (received: number, total: number | undefined) => void;
  stop(): void;
}

const silent: DownloadProgress = { track: () => () => undefined, stop: () => undefined };

export const formatSize = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(0)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);

export function downloadProgress(stream: OutputStream): DownloadProgress {
  if (!stream.isTTY) return silent;
  const bars = new MultiBar({
    stream: stream as NodeJS.WritableStream,
    // The name last: a narrow terminal cuts it rather than the numbers.
    format: "[{bar}] {percentage}% {received} of {size}  {name}",
    barsize: 24,
    hideCursor: true,
    clearOnComplete: false,
  });
  return {
    track: (name) => {
      let bar: SingleBar | undefined;
      return (received, total) => {
        const expected = total ?? received;
        bar ??= bars.create(expected, 0, { name, received: formatSize(0), size: total === undefined ? "?" : formatSize(expected) });
        if (bar.getTotal() !== expected) bar.setTotal(expected);
        bar.update(received, { received: formatSize(received) });
      };
    },
    stop: () => bars.stop(),
  };
}
