import { SCHEDULER_METRIC_EXPORT_INTERVAL_SECONDS } from "@nativelink-aws/conventions";
import { FeedError } from "./feed-error.js";

/**
 * The label the collector gives every series of a NativeLink process: its `service.instance.id`, a random UUID per
 * process start (NativeLink sets it; OTEL_RESOURCE_ATTRIBUTES cannot override it).
 */
export const PROCESS_LABEL = "instance";

/**
 * How much older than the newest sample on the page a live process's newest sample can be: the scheduler image's
 * export interval (conventions' SCHEDULER_METRIC_EXPORT_INTERVAL_SECONDS, 15 s) and 2 s for timer jitter. A process restarted by systemd
 * (RestartSec=5) first exports one interval after it starts, so its predecessor's last samples are at least 20 s
 * older than its first: past this window from the restart's first export on.
 */
export const DEFAULT_LIVE_WINDOW_MS = SCHEDULER_METRIC_EXPORT_INTERVAL_SECONDS * 1000 + 2_000;

/** One process on the page: its `instance` label ("" when the page has none) and the newest timestamp of its samples. */
export interface ProcessOnPage {
  readonly instance: string;
  /** Milliseconds since the epoch; undefined when none of its samples carries a timestamp. */
  readonly newestSampleMs: number | undefined;
}

/**
 * Which process the feed describes. The collector keeps a process's last values until `metric_expiration` after it
 * stopped exporting, so after a restart the page holds the dead process's series beside the live one's. Every export
 * of a live process stamps all its series with the export's time (cumulative temporality; the collector's
 * `send_timestamps`), so a dead process's samples fall behind. The rule:
 * - one process (or none): it;
 * - several: the one with the newest sample; any other within `liveWindowMs` of it is live too, and two live
 *   processes exporting to one scheduler's collector is not a state the feed can describe (whose workers, whose
 *   queue?): FeedError, so the autoscaler changes no capacity and counts it, rather than summing or picking one;
 * - several, and one without timestamps (a collector without `send_timestamps`): FeedError, as the live one is unknown.
 * Returns the live process's `instance` label, or undefined when every series counts (a page of one process).
 */
export function liveProcess(processes: readonly ProcessOnPage[], liveWindowMs: number): string | undefined {
  if (processes.length <= 1) return processes[0]?.instance;
  const untimed = processes.filter((process) => process.newestSampleMs === undefined);
  if (untimed.length > 0) {
    throw new FeedError(
      "several-processes",
      `the page holds series of ${processes.length} NativeLink processes (${PROCESS_LABEL} ${names(processes)}) without sample timestamps, ` +
        "so the live one is unknown: set send_timestamps: true on the collector's prometheus exporter (the scheduler image's configuration does)",
    );
  }
  const newest = Math.max(...processes.map((process) => process.newestSampleMs ?? 0));
  const live = processes.filter((process) => newest - (process.newestSampleMs ?? 0) <= liveWindowMs);
  if (live.length > 1) {
    const ages = live.map((process) => `${process.instance} ${((newest - (process.newestSampleMs ?? 0)) / 1000).toFixed(1)} s`);
    throw new FeedError(
      "several-processes",
      `${live.length} NativeLink processes export to this collector at once (${PROCESS_LABEL} and age of its newest sample: ${ages.join(", ")}): ` +
        "the feed describes one scheduler; stop the process that is not nativelink.service",
    );
  }
  return live[0]?.instance;
}

function names(processes: readonly ProcessOnPage[]): string {
  return processes.map((process) => process.instance || '""').join(", ");
}
