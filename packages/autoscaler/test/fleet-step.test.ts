import { describe, expect, it } from "vitest";
import { defaultPolicySettings } from "../src/policy/capacity-policy.js";
import { freshFleetMemory, minuteMaxima, needsHistory, observeFleet, stepFleet, type FleetMemory } from "../src/policy/fleet-step.js";

const settings = { ...defaultPolicySettings, scaleInAfterSeconds: 180 };
const now = 6000;
const reading = {
  nowSeconds: now,
  queuedActions: 0,
  executingActions: 2,
  completedActions: 100,
  completionShare: 1,
  desiredCapacity: 10,
  minCapacity: 0,
  maxCapacity: 40,
};
/** Requirements this process published every `every` seconds since `since` seconds ago. */
const published = (since: number, every = 20): FleetMemory => ({
  samples: [],
  published: Array.from({ length: Math.floor(since / every) }, (_, i) => ({ atSeconds: now - since + i * every, units: 2 })),
});

describe("minuteMaxima: what CloudWatch returns for published requirements", () => {
  it("keeps each minute's maximum, stamped at the minute's end (clipped to the end of the read), from the start's minute on", () => {
    const samples = [
      { atSeconds: 5950, units: 9 }, // the start's minute (5940–5999), before the start itself: CloudWatch rounds down
      { atSeconds: 5930, units: 50 }, // the minute before: left out
      { atSeconds: 5990, units: 3 },
      { atSeconds: 6010, units: 4 },
      { atSeconds: 6030, units: 7 },
    ];
    expect(minuteMaxima(samples, 5945, 6040)).toEqual([
      { atSeconds: 6000, units: 9 },
      { atSeconds: 6040, units: 7 },
    ]);
  });
});

describe("needsHistory", () => {
  const observed = (memory: FleetMemory, overrides: Partial<typeof reading> = {}) => observeFleet(memory, { ...reading, ...overrides }, settings);
  it.each([
    ["a fresh process (cold start) reads CloudWatch", freshFleetMemory, true],
    ["a process that published for less than the idle period reads it", published(120), true],
    ["a process whose own requirements cover the idle period does not", published(240), false],
    [
      "a process whose own requirements have a gap over a minute does",
      { ...published(240), published: published(240).published.filter((_, i) => i < 3 || i > 7) },
      true,
    ],
  ] as const)("%s", (_, memory, expected) => {
    expect(needsHistory(observed(memory), memory, settings)).toBe(expected);
  });

  it("a fleet that is not over-provisioned never needs it", () => {
    expect(needsHistory(observed(freshFleetMemory, { executingActions: 10 }), freshFleetMemory, settings)).toBe(false);
  });
});

describe("stepFleet", () => {
  it("scales in once its own requirements cover the idle period, and remembers what it published", () => {
    const step = stepFleet(published(240), reading, { ...settings, quickScaleInFraction: 0 });
    expect(step.decision).toMatchObject({ action: "scale-in", desiredCapacity: 2, requiredCapacity: 2 });
    expect(step.memory.published.at(-1)).toEqual({ atSeconds: now, units: 2 });
    expect(step.memory.samples.at(-1)).toMatchObject({ atSeconds: now, executingActions: 2, completedActions: 100 });
  });
});
