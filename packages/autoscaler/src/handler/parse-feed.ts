import parsePrometheusTextFormat from "parse-prometheus-text-format";
import * as z from "zod/mini";
import type { Architecture } from "../policy/fleets.js";
import { FeedError } from "./feed-error.js";
import { DEFAULT_LIVE_WINDOW_MS, PROCESS_LABEL, liveProcess, type ProcessOnPage } from "./live-process.js";

/** The series NativeLink's scheduler exports (nativelink-util/src/metrics.rs, v1.6.6), as the collector names them. */
export const FEED_METRICS = {
  /**
   * UpDownCounter `execution.active.count`, attribute `execution.stage`: a gauge per stage. Its `completed` stage is
   * only ever added to (memory_awaited_action_db.rs moves an action out of a stage, never out of `completed`): a
   * counter of the actions completed since the scheduler started, whose rate is the fleet's throughput.
   */
  activeActions: "nativelink_execution_active_count",
  stageLabel: "execution_stage",
  /** UpDownCounter `worker.connected.count` (v1.6.5+), no attributes. */
  connectedWorkers: "nativelink_worker_connected_count",
} as const;

/** Counts by platform where a series names one, and the rest. */
export interface StageCount {
  readonly unlabelled: number;
  readonly byPlatform: Readonly<Partial<Record<Architecture, number>>>;
}

/** The feed, checked: the numbers the decision uses. */
export interface FeedSnapshot {
  readonly queued: StageCount;
  readonly executing: StageCount;
  /** Undefined when the scheduler has not exported the series (no worker has connected since it started). */
  readonly connectedWorkers: number | undefined;
  /**
   * The `completed` stage summed over its series: actions completed since the scheduler started (a counter; it goes
   * down only when the scheduler restarts). Undefined when there is no such series (nothing completed yet).
   */
  readonly completedActions: number | undefined;
}

export interface ParseOptions {
  /** The label that names a series' platform, if the collector adds one. */
  readonly platformLabel: string;
  /** Larger counts are absurd: a broken counter, not demand. */
  readonly maxPlausibleCount: number;
  /**
   * How far behind the page's newest sample a NativeLink process's newest sample may be and still be live (see
   * `liveProcess`).
   * @default DEFAULT_LIVE_WINDOW_MS (17 s: the scheduler image's 15 s export interval and 2 s)
   */
  readonly liveWindowMs?: number;
}

// prom2json's shape, as parse-prometheus-text-format returns it. Histograms and summaries have no `value`.
const familiesSchema = z.array(
  z.object({
    name: z.string(),
    type: z.string(),
    metrics: z.array(z.object({ value: z.optional(z.string()), labels: z.optional(z.record(z.string(), z.string())), timestamp_ms: z.optional(z.string()) })),
  }),
);

const platformAliases: Record<string, Architecture> = { x86_64: "x86_64", amd64: "x86_64", "x86-64": "x86_64", arm64: "arm64", aarch64: "arm64" };

/**
 * Prometheus text from the scheduler's collector → the counts per stage of the live NativeLink process (`liveProcess`:
 * after a restart the page still holds the previous process's last values). Throws FeedError when the text is not
 * Prometheus exposition, `nativelink_execution_active_count` is missing, a value is not a plausible whole count, or
 * the live process cannot be told. A stage without a series counts 0 (NativeLink creates a stage's series on the first
 * action entering it).
 */
export function parseFeed(text: string, options: ParseOptions): FeedSnapshot {
  let parsed: unknown;
  try {
    // The library drops the last family unless the text ends with a newline.
    parsed = parsePrometheusTextFormat(text.endsWith("\n") ? text : `${text}\n`);
  } catch (error) {
    throw new FeedError("not-prometheus", `the feed is not Prometheus text: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300));
  }
  const families = familiesSchema.safeParse(parsed);
  if (!families.success) throw new FeedError("not-prometheus", "the parser returned an unexpected shape");
  const live = liveProcess(processesOnPage(families.data), options.liveWindowMs ?? DEFAULT_LIVE_WINDOW_MS);
  const ofLiveProcess = (sample: Sample) => live === undefined || (sample.labels?.[PROCESS_LABEL] ?? "") === live;
  const family = (name: string) => {
    const found = families.data.find((candidate) => candidate.name === name);
    return found && { ...found, metrics: found.metrics.filter(ofLiveProcess) };
  };

  const active = family(FEED_METRICS.activeActions);
  if (!active) {
    const seen = families.data.filter((candidate) => candidate.name.startsWith("nativelink_")).length;
    throw new FeedError("metric-missing", `${FEED_METRICS.activeActions} is missing (${seen} other nativelink_ series)`);
  }
  let completed: number | undefined;
  const counts = {
    queued: { unlabelled: 0, byPlatform: {} as Partial<Record<Architecture, number>> },
    executing: { unlabelled: 0, byPlatform: {} as Partial<Record<Architecture, number>> },
  };
  for (const sample of active.metrics) {
    const stage = sample.labels?.[FEED_METRICS.stageLabel];
    if (stage === "completed") {
      // A counter: no plausibility cap (it grows for as long as the scheduler runs), but a whole number.
      completed =
        (completed ?? 0) +
        countOf(sample.value, `${FEED_METRICS.activeActions}{${FEED_METRICS.stageLabel}="completed"}`, {
          ...options,
          maxPlausibleCount: Number.MAX_SAFE_INTEGER,
        });
      continue;
    }
    if (stage !== "queued" && stage !== "executing") continue;
    const value = countOf(sample.value, `${FEED_METRICS.activeActions}{${FEED_METRICS.stageLabel}="${stage}"}`, options);
    const platform = platformAliases[(sample.labels?.[options.platformLabel] ?? "").toLowerCase()];
    const count = counts[stage];
    if (platform) count.byPlatform[platform] = (count.byPlatform[platform] ?? 0) + value;
    else count.unlabelled += value;
  }
  for (const stage of ["queued", "executing"] as const) {
    const total = counts[stage].unlabelled + Object.values(counts[stage].byPlatform).reduce((a, b) => a + b, 0);
    if (total > options.maxPlausibleCount)
      throw new FeedError("absurd-value", `${total} ${stage} actions is more than the plausible ${options.maxPlausibleCount}`);
  }
  const workers = family(FEED_METRICS.connectedWorkers);
  const connectedWorkers = workers?.metrics.reduce((sum, sample) => sum + countOf(sample.value, FEED_METRICS.connectedWorkers, options), 0);
  return { ...counts, connectedWorkers, completedActions: completed };
}

type Sample = z.infer<typeof familiesSchema>[number]["metrics"][number];

/**
 * Each process's newest sample time, from the single-value samples: `target_info` (the resource's attributes) has no
 * timestamp, and the parser returns histograms without their labels or timestamps.
 */
function processesOnPage(families: z.infer<typeof familiesSchema>): ProcessOnPage[] {
  const newest = new Map<string, number | undefined>();
  for (const family of families) {
    if (family.name.endsWith("target_info")) continue;
    for (const sample of family.metrics) {
      if (sample.value === undefined) continue;
      const instance = sample.labels?.[PROCESS_LABEL] ?? "";
      const time = sample.timestamp_ms === undefined ? undefined : Number(sample.timestamp_ms);
      const known = newest.get(instance);
      newest.set(instance, time === undefined || !Number.isFinite(time) ? known : Math.max(known ?? time, time));
    }
  }
  return [...newest].map(([instance, newestSampleMs]) => ({ instance, newestSampleMs }));
}

function countOf(text: string | undefined, series: string, options: ParseOptions): number {
  const value = text === undefined || text.trim() === "" ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw new FeedError("absurd-value", `${series} is ${JSON.stringify(text ?? null)}, not a number`);
  if (value < 0 || !Number.isInteger(value) || value > options.maxPlausibleCount) {
    throw new FeedError("absurd-value", `${series} is ${value}: a count must be a whole number from 0 to ${options.maxPlausibleCount}`);
  }
  return value;
}
