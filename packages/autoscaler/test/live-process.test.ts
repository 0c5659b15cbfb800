// Which NativeLink process the feed describes when the collector's page holds several (issue 18: a restarted
// scheduler's last values stay on the page until metric_expiration).
import { describe, expect, it } from "vitest";
import { FeedError } from "../src/handler/feed-error.js";
import { DEFAULT_LIVE_WINDOW_MS, liveProcess, type ProcessOnPage } from "../src/handler/live-process.js";

const at = (instance: string, newestSampleMs: number | undefined): ProcessOnPage => ({ instance, newestSampleMs });
const T = 1_796_391_400_000;

describe("liveProcess", () => {
  it.each<[string, ProcessOnPage[], string | undefined]>([
    ["no process (an empty page's families)", [], undefined],
    ["one process, timestamps or not", [at("a", undefined)], "a"],
    ["a page without instance labels", [at("", T)], ""],
    ["a restart: the previous process last exported 56 s before the new one", [at("dead", T - 56_300), at("live", T)], "live"],
    ["the order on the page does not matter", [at("live", T), at("dead", T - 56_300)], "live"],
    ["a restart seen at the earliest: RestartSec (5 s) and one 15 s interval apart", [at("dead", T - 20_000), at("live", T)], "live"],
    ["two restarts in a row", [at("first", T - 90_000), at("second", T - 30_000), at("live", T)], "live"],
    ["just past the window", [at("dead", T - DEFAULT_LIVE_WINDOW_MS - 1), at("live", T)], "live"],
  ])("%s", (_, processes, expected) => {
    expect(liveProcess(processes, DEFAULT_LIVE_WINDOW_MS)).toBe(expected);
  });

  it.each<[string, ProcessOnPage[], RegExp]>([
    [
      "two processes exporting one interval apart (both live)",
      [at("a", T - 15_000), at("b", T)],
      /2 NativeLink processes export to this collector at once \(instance and age of its newest sample: a 15\.0 s, b 0\.0 s\)/,
    ],
    ["two processes in the same export", [at("a", T), at("b", T)], /2 NativeLink processes export to this collector at once/],
    ["at the window's edge", [at("a", T - DEFAULT_LIVE_WINDOW_MS), at("b", T)], /2 NativeLink processes/],
    [
      "several processes and no timestamps (a collector without send_timestamps)",
      [at("a", undefined), at("b", undefined)],
      /series of 2 NativeLink processes \(instance a, b\) without sample timestamps, so the live one is unknown: set send_timestamps: true/,
    ],
    ["one process without timestamps beside one with", [at("a", undefined), at("b", T)], /without sample timestamps/],
  ])("refuses to describe %s (FeedError several-processes)", (_, processes, message) => {
    const error = (() => {
      try {
        liveProcess(processes, DEFAULT_LIVE_WINDOW_MS);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(FeedError);
    expect(error).toMatchObject({ kind: "several-processes", message: expect.stringMatching(message) });
  });
});
