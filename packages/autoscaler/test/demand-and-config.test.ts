import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/handler/config.js";
import { attributeDemand, completionShares, formatDemandSplit, parseDemandSplit, share, type DemandSplit } from "../src/handler/demand.js";
import type { FeedSnapshot } from "../src/handler/parse-feed.js";
import { policySettingNames } from "../src/policy/settings.js";

/** The numeric defaults of the README's props table (`| \`setting\` | \`180\` | …`): what users are told they get. */
const readmeDefaults = new Map(
  [...readFileSync(new URL("../README.md", import.meta.url), "utf8").matchAll(/^\| `(\w+)` \| `(\d+(?:\.\d+)?)` \|/gm)].map(([, name, value]) => [
    name,
    Number(value),
  ]),
);

const group = (maxCapacity: number, inServiceInstances: number) => ({ desiredCapacity: 0, minCapacity: 0, maxCapacity, inServiceInstances, vcpusPerUnit: 1 });
const snapshot: FeedSnapshot = {
  queued: { unlabelled: 10, byPlatform: { arm64: 4 } },
  executing: { unlabelled: 5, byPlatform: {} },
  connectedWorkers: 9,
  completedActions: 1234,
};
const both = { x86_64: group(200, 6), arm64: group(100, 3) };

describe("attributeDemand", () => {
  const cases: [string, DemandSplit, Record<string, { queuedActions: number; executingActions: number; connectedWorkers: number }>][] = [
    [
      "preferred x86_64: all unlabelled demand there, labelled to its platform",
      { kind: "preferred", fleet: "x86_64" },
      { x86_64: { queuedActions: 10, executingActions: 5, connectedWorkers: 6 }, arm64: { queuedActions: 4, executingActions: 0, connectedWorkers: 3 } },
    ],
    [
      "proportional to max capacity (2:1), whole actions",
      { kind: "proportional" },
      { x86_64: { queuedActions: 7, executingActions: 3, connectedWorkers: 6 }, arm64: { queuedActions: 7, executingActions: 2, connectedWorkers: 3 } },
    ],
    [
      "fixed shares",
      { kind: "shares", shares: { x86_64: 0.3, arm64: 0.7 } },
      { x86_64: { queuedActions: 3, executingActions: 2, connectedWorkers: 6 }, arm64: { queuedActions: 11, executingActions: 3, connectedWorkers: 3 } },
    ],
  ];
  it.each(cases)("%s", (_, split, expected) => {
    expect(attributeDemand(snapshot, both, split)).toEqual(expected);
  });

  it("gives everything to the only fleet, whatever the preference", () => {
    expect(attributeDemand(snapshot, { arm64: group(100, 0) }, { kind: "preferred", fleet: "x86_64" })).toEqual({
      arm64: { queuedActions: 14, executingActions: 5, connectedWorkers: 9 },
    });
  });

  it("leaves connected workers unknown when the feed has no count", () => {
    expect(attributeDemand({ ...snapshot, connectedWorkers: undefined }, both, { kind: "proportional" }).x86_64?.connectedWorkers).toBeUndefined();
  });

  it("shares completions, which have no platform, by executing actions (queued when none executes, evenly when idle)", () => {
    const demand = (x86: [number, number], arm: [number, number]) => ({
      x86_64: { queuedActions: x86[0], executingActions: x86[1], connectedWorkers: undefined },
      arm64: { queuedActions: arm[0], executingActions: arm[1], connectedWorkers: undefined },
    });
    expect(completionShares(demand([9, 6], [1, 2]))).toEqual({ x86_64: 0.75, arm64: 0.25 });
    expect(completionShares(demand([3, 0], [1, 0]))).toEqual({ x86_64: 0.75, arm64: 0.25 });
    expect(completionShares(demand([0, 0], [0, 0]))).toEqual({ x86_64: 0.5, arm64: 0.5 });
    expect(completionShares({ arm64: { queuedActions: 0, executingActions: 0, connectedWorkers: undefined } })).toEqual({ arm64: 1 });
  });

  it("shares whole units by largest remainder", () => {
    expect(share(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(share(5, [0, 0])).toEqual([5, 0]);
    expect(share(7, [200, 100])).toEqual([5, 2]);
  });
});

describe("demand split text", () => {
  it.each(["preferred:x86_64", "preferred:arm64", "proportional", "shares:x86_64=0.7,arm64=0.3"])("round-trips %s", (text) => {
    expect(formatDemandSplit(parseDemandSplit(text))).toBe(text);
  });
  it.each(["preferred:riscv", "shares:x86_64=0.7", "shares:x86_64=0.5,x86_64=0.5", "half"])("rejects %s", (text) => {
    expect(() => parseDemandSplit(text)).toThrow(/expected "preferred:x86_64"/);
  });
});

describe("loadConfig", () => {
  const minimal = {
    DEPLOYMENT_NAME: "nativelink",
    FEED_URL: "http://scheduler.internal.example.com:9464/metrics",
    X86_64_GROUP_NAME: "nativelink-workers-x86_64",
  };

  it("applies the tuned defaults", () => {
    expect(loadConfig(minimal)).toEqual({
      deploymentName: "nativelink",
      feedUrl: minimal.FEED_URL,
      groupNames: { x86_64: "nativelink-workers-x86_64" },
      mode: "set-capacity",
      pollIntervalSeconds: 20,
      feedCheckSeconds: 5,
      policy: expect.any(Object),
      demandSplit: { kind: "preferred", fleet: "x86_64" },
      platformLabel: "cpu_arch",
      feedTimeoutMs: 2000,
      feedAttempts: 3,
      maxPlausibleCount: 100_000,
    });
  });

  it("applies the policy defaults the README's props table documents, each of them", () => {
    const policy = loadConfig(minimal).policy;
    for (const setting of policySettingNames) expect(policy[setting], setting).toBe(readmeDefaults.get(setting));
    expect(Object.keys(policy).sort()).toEqual([...policySettingNames].sort());
  });

  it("reads the policy's settings, and defaults the feed checks to what the poll interval and mode allow", () => {
    expect(
      loadConfig({
        ...minimal,
        FEED_CHECK_SECONDS: "10",
        SCALE_IN_AFTER_SECONDS: "300",
        QUICK_SCALE_IN_AFTER_SECONDS: "90",
        QUICK_SCALE_IN_FRACTION: "0.25",
        BOOT_SECONDS: "0",
        RATE_WINDOW_SECONDS: "240",
      }),
    ).toMatchObject({
      feedCheckSeconds: 10,
      policy: { scaleInAfterSeconds: 300, quickScaleInAfterSeconds: 90, quickScaleInFraction: 0.25, bootSeconds: 0, rateWindowSeconds: 240 },
    });
    expect(loadConfig({ ...minimal, POLL_INTERVAL_SECONDS: "12" }).feedCheckSeconds).toBe(4);
    expect(loadConfig({ ...minimal, POLL_INTERVAL_SECONDS: "60", MODE: "metrics-only" }).feedCheckSeconds).toBe(60);
  });

  it("prefers arm64 when it is the only fleet", () => {
    expect(loadConfig({ ...minimal, X86_64_GROUP_NAME: undefined, ARM64_GROUP_NAME: "g" }).demandSplit).toEqual({ kind: "preferred", fleet: "arm64" });
  });

  it("lists every problem with what to set", () => {
    const error = (() => {
      try {
        loadConfig({ FEED_URL: "ftp://x", POLL_INTERVAL_SECONDS: "25", MODE: "fast", SCALE_IN_AFTER_SECONDS: "ten" });
      } catch (caught) {
        return (caught as Error).message;
      }
      return "";
    })();
    expect(error).toMatch(/^Invalid autoscaler configuration in the environment:/);
    expect(error).toMatch(/DEPLOYMENT_NAME is missing/);
    expect(error).toMatch(/FEED_URL is not an http:\/\/ or https:\/\/ URL/);
    expect(error).toMatch(/POLL_INTERVAL_SECONDS must divide the minute/);
    expect(error).toMatch(/MODE is not "set-capacity" or "metrics-only"/);
    expect(error).toMatch(/SCALE_IN_AFTER_SECONDS is "ten": expected a whole number from 60 to 86400/);
  });

  it("checks the settings against each other", () => {
    expect(() => loadConfig({ ...minimal, POLL_INTERVAL_SECONDS: "12", FEED_CHECK_SECONDS: "5" })).toThrow(
      /FEED_CHECK_SECONDS must divide the poll interval \(12s\)/,
    );
    expect(() => loadConfig({ ...minimal, FEED_CHECK_SECONDS: "7" })).toThrow(/FEED_CHECK_SECONDS must divide the minute/);
    expect(() => loadConfig({ ...minimal, MODE: "metrics-only", POLL_INTERVAL_SECONDS: "60", FEED_CHECK_SECONDS: "5" })).toThrow(
      /FEED_CHECK_SECONDS must equal the poll interval \(60s\) in metrics-only mode/,
    );
    expect(() => loadConfig({ ...minimal, QUICK_SCALE_IN_AFTER_SECONDS: "240" })).toThrow(
      /QUICK_SCALE_IN_AFTER_SECONDS must not be longer than SCALE_IN_AFTER_SECONDS \(180\)/,
    );
    expect(() => loadConfig({ ...minimal, QUICK_SCALE_IN_FRACTION: "2", BOOT_SECONDS: "-5", RATE_WINDOW_SECONDS: "10" })).toThrow(
      new RegExp(
        'QUICK_SCALE_IN_FRACTION is "2": expected a number from 0 to 1 \\(0: off\\)\\n- BOOT_SECONDS is "-5": expected a ' +
          'whole number from 0 to 3600 \\(launch to a registered worker\\)\\n- RATE_WINDOW_SECONDS is "10": expected a whole number from 60 to 3600',
      ),
    );
  });

  it("needs at least one group and a valid split", () => {
    expect(() => loadConfig({ ...minimal, X86_64_GROUP_NAME: undefined })).toThrow(/set at least one worker group name/);
    expect(() => loadConfig({ ...minimal, DEMAND_SPLIT: "shares:x86_64=0.2" })).toThrow(/DEMAND_SPLIT is "shares:x86_64=0.2": the shares sum to 0.2/);
  });
});
