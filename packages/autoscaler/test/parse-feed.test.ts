// The parser on pages shaped like the scheduler's collector serves them (otelcol's Prometheus exporter, namespace
// "nativelink"), with the series names and labels of NativeLink v1.6.6's nativelink-util/src/metrics.rs.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FeedError } from "../src/handler/feed-error.js";
import { parseFeed } from "../src/handler/parse-feed.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const options = { platformLabel: "cpu_arch", maxPlausibleCount: 100_000 };
const page = (lines: string[]) => `# TYPE nativelink_execution_active_count gauge\n${lines.join("\n")}\n`;

describe("parseFeed", () => {
  it("reads queued, executing, completed and connected workers from a busy scheduler's page, ignoring other stages and families", () => {
    expect(parseFeed(fixture("collector-busy.prom"), options)).toEqual({
      queued: { unlabelled: 30, byPlatform: {} },
      executing: { unlabelled: 12, byPlatform: {} },
      connectedWorkers: 8,
      // The completed stage of execution_active_count, not the per-result nativelink_execution_completed_count_total.
      completedActions: 5120,
    });
  });

  it("sums the completed stage over its series, with no plausibility cap (it is a counter), and leaves it unknown when absent", () => {
    const text = page([
      'nativelink_execution_active_count{execution_stage="completed",instance_name="a"} 4000000',
      'nativelink_execution_active_count{execution_stage="completed",instance_name="b"} 2.5e+06',
    ]);
    expect(parseFeed(text, options).completedActions).toBe(6_500_000);
    expect(parseFeed(page(['nativelink_execution_active_count{execution_stage="queued"} 1']), options).completedActions).toBeUndefined();
  });

  it("counts a stage without a series as 0 and a missing worker count as unknown (a scheduler's first action)", () => {
    expect(parseFeed(fixture("collector-fresh-scheduler.prom"), options)).toEqual({
      queued: { unlabelled: 1, byPlatform: {} },
      executing: { unlabelled: 0, byPlatform: {} },
      connectedWorkers: undefined,
      completedActions: undefined,
    });
  });

  it("attributes series with a platform label (x86_64/amd64, arm64/aarch64) and sums the rest", () => {
    expect(parseFeed(fixture("collector-platform-labels.prom"), options)).toEqual({
      queued: { unlabelled: 3, byPlatform: { x86_64: 10, arm64: 4 } },
      executing: { unlabelled: 1, byPlatform: { x86_64: 6, arm64: 2 } },
      connectedWorkers: 5,
      completedActions: undefined,
    });
  });

  it("sums series of one stage that differ in other labels (several instance names)", () => {
    const text = page([
      'nativelink_execution_active_count{execution_stage="queued",instance_name="a"} 2',
      'nativelink_execution_active_count{execution_stage="queued",instance_name="b"} 5',
    ]);
    expect(parseFeed(text, options).queued.unlabelled).toBe(7);
  });

  it("after a restart, counts only the live process's series: the previous one's stay on the page until metric_expiration", () => {
    // Issue 18: summed, this page read completed 15, 2 workers, and the dead process's 5 queued and 3 executing.
    expect(parseFeed(fixture("collector-restarted-scheduler.prom"), options)).toEqual({
      queued: { unlabelled: 0, byPlatform: {} },
      executing: { unlabelled: 0, byPlatform: {} },
      connectedWorkers: 1,
      completedActions: 1,
    });
  });

  it("refuses a page of two live processes rather than sum or pick one (FeedError several-processes)", () => {
    const text = [
      "# TYPE nativelink_execution_active_count gauge",
      'nativelink_execution_active_count{execution_stage="queued",instance="a"} 2 1796391400000',
      'nativelink_execution_active_count{execution_stage="queued",instance="b"} 5 1796391395000',
      "",
    ].join("\n");
    expect(() => parseFeed(text, options)).toThrow(expect.objectContaining({ kind: "several-processes" }));
    // A narrower window is the caller's to give: 3 s makes b a dead process.
    expect(parseFeed(text, { ...options, liveWindowMs: 3_000 }).queued.unlabelled).toBe(2);
  });

  it("reads the last family even without a final newline (the library would drop it)", () => {
    expect(
      parseFeed('# TYPE nativelink_execution_active_count gauge\nnativelink_execution_active_count{execution_stage="queued"} 4', options).queued.unlabelled,
    ).toBe(4);
  });

  const bad: [string, string, FeedError["kind"], RegExp][] = [
    ["an HTML error page", "<html><body><h1>502 Bad Gateway</h1></body></html>", "metric-missing", /nativelink_execution_active_count is missing/],
    ["a page without NativeLink's series", "# TYPE up gauge\nup 1\n", "metric-missing", /missing \(0 other nativelink_ series\)/],
    [
      "only the worker count",
      "# TYPE nativelink_worker_connected_count gauge\nnativelink_worker_connected_count 3\n",
      "metric-missing",
      /missing \(1 other nativelink_ series\)/,
    ],
    ["NaN", page(['nativelink_execution_active_count{execution_stage="queued"} NaN']), "absurd-value", /is "NaN", not a number/],
    ["+Inf", page(['nativelink_execution_active_count{execution_stage="executing"} +Inf']), "absurd-value", /not a number/],
    ["an empty value", page(['nativelink_execution_active_count{execution_stage="queued"}']), "absurd-value", /not a number/],
    [
      "a negative count (a broken up-down counter)",
      page(['nativelink_execution_active_count{execution_stage="queued"} -3']),
      "absurd-value",
      /is -3: a count must be a whole number/,
    ],
    ["a fraction", page(['nativelink_execution_active_count{execution_stage="queued"} 2.5']), "absurd-value", /is 2.5/],
    ["an absurd count", page(['nativelink_execution_active_count{execution_stage="queued"} 1e9']), "absurd-value", /1000000000/],
    [
      "an absurd sum",
      page([
        'nativelink_execution_active_count{execution_stage="queued",a="1"} 60000',
        'nativelink_execution_active_count{execution_stage="queued",a="2"} 60000',
      ]),
      "absurd-value",
      /120000 queued actions is more than the plausible 100000/,
    ],
    ["a malformed line", page(['nativelink_execution_active_count{execution_stage="queued" 3']), "not-prometheus", /not Prometheus text/],
    [
      "a negative completed count",
      page(['nativelink_execution_active_count{execution_stage="queued"} 1', 'nativelink_execution_active_count{execution_stage="completed"} -1']),
      "absurd-value",
      /execution_stage="completed"\} is -1: a count must be a whole number/,
    ],
    [
      "a NaN completed count",
      page(['nativelink_execution_active_count{execution_stage="completed"} NaN']),
      "absurd-value",
      /execution_stage="completed"\} is "NaN", not a number/,
    ],
    [
      "a malformed worker count",
      `${page(['nativelink_execution_active_count{execution_stage="queued"} 1'])}nativelink_worker_connected_count -1\n`,
      "absurd-value",
      /nativelink_worker_connected_count is -1/,
    ],
  ];

  it.each(bad)("rejects %s", (_, text, kind, message) => {
    let caught: unknown;
    try {
      parseFeed(text, options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FeedError);
    expect(caught).toMatchObject({ kind, message: expect.stringMatching(message) });
  });
});
