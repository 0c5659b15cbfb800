import { describe, expect, it } from "vitest";
import {
  decideCapacity,
  defaultPolicySettings,
  estimateDrain,
  requiredCapacity,
  type CapacityPolicySettings,
  type DemandSample,
  type DrainEstimate,
  type FleetState,
  type RequiredCapacitySample,
} from "../src/policy/capacity-policy.js";

/** The plain rule with a 300 s idle period: no quick scale-in, no drain (each table below turns on what it tests). */
const settings: CapacityPolicySettings = { ...defaultPolicySettings, scaleInAfterSeconds: 300, quickScaleInFraction: 0, bootSeconds: 0 };
const now = 10_000;
const fleet = (overrides: Partial<FleetState>): FleetState => ({
  queuedActions: 0,
  executingActions: 0,
  desiredCapacity: 10,
  minCapacity: 0,
  maxCapacity: 200,
  ...overrides,
});
/** One sample a minute over the last `seconds`, all of `units`. */
const history = (units: number, seconds = 300, every = 60): RequiredCapacitySample[] =>
  Array.from({ length: Math.floor(seconds / every) + 1 }, (_, i) => ({ atSeconds: now - seconds + i * every, units }));

describe("requiredCapacity", () => {
  it.each([
    [{ executingActions: 12, queuedActions: 30 }, 1, 42],
    [{ executingActions: 3, queuedActions: 0 }, 2, 6],
    [{ executingActions: 1, queuedActions: 2 }, 0.5, 2],
    [{ executingActions: 0, queuedActions: 0, minCapacity: 2 }, 1, 2],
    [{ executingActions: 150, queuedActions: 100 }, 1, 200],
  ] as const)("%o × %d units per action → %d", (state, unitsPerAction, expected) => {
    expect(requiredCapacity(fleet(state), { ...settings, unitsPerAction })).toBe(expected);
  });
});

describe("decideCapacity", () => {
  const table: [
    string,
    Partial<FleetState>,
    RequiredCapacitySample[],
    { action: string; desiredCapacity: number; requiredCapacity: number; reason?: RegExp },
  ][] = [
    [
      "scales out at once to cover executing + queued",
      { desiredCapacity: 10, executingActions: 10, queuedActions: 25 },
      [],
      { action: "scale-out", desiredCapacity: 35, requiredCapacity: 35, reason: /scale out at once/ },
    ],
    ["scales from zero", { desiredCapacity: 0, queuedActions: 1 }, [], { action: "scale-out", desiredCapacity: 1, requiredCapacity: 1 }],
    ["scales out no further than max", { desiredCapacity: 150, queuedActions: 500 }, [], { action: "scale-out", desiredCapacity: 200, requiredCapacity: 200 }],
    [
      "does nothing when the demand fits exactly",
      { desiredCapacity: 10, executingActions: 10 },
      history(10),
      { action: "none", desiredCapacity: 10, requiredCapacity: 10 },
    ],
    [
      "counts capacity still booting: a desired capacity that covers the demand orders nothing more",
      { desiredCapacity: 30, executingActions: 2, queuedActions: 28 },
      [],
      { action: "none", desiredCapacity: 30, requiredCapacity: 30 },
    ],
    [
      "holds an over-provisioned fleet without history (just deployed)",
      { desiredCapacity: 10, executingActions: 2 },
      [],
      { action: "hold", desiredCapacity: 10, requiredCapacity: 2, reason: /no requirement history/ },
    ],
    [
      "holds when the history starts inside the idle period",
      { desiredCapacity: 10, executingActions: 2 },
      history(2, 120),
      { action: "hold", desiredCapacity: 10, requiredCapacity: 2, reason: /starts only 120s ago/ },
    ],
    [
      "holds when the history has a gap (bad feed for minutes)",
      { desiredCapacity: 10 },
      [
        { atSeconds: now - 300, units: 0 },
        { atSeconds: now - 30, units: 0 },
      ],
      { action: "hold", desiredCapacity: 10, requiredCapacity: 0, reason: /270s gap/ },
    ],
    [
      "holds while the fleet was needed within the idle period",
      { desiredCapacity: 10, executingActions: 2 },
      [...history(2), { atSeconds: now - 100, units: 10 }],
      { action: "hold", desiredCapacity: 10, requiredCapacity: 2, reason: /10 units were required/ },
    ],
    [
      "scales in after the idle period to its peak requirement",
      { desiredCapacity: 10, executingActions: 2 },
      [...history(2), { atSeconds: now - 100, units: 6 }],
      { action: "scale-in", desiredCapacity: 6, requiredCapacity: 2, reason: /over-provisioned for 300s/ },
    ],
    [
      "scales in to zero when min is zero and nothing ran for the idle period",
      { desiredCapacity: 10 },
      history(0),
      { action: "scale-in", desiredCapacity: 0, requiredCapacity: 0 },
    ],
    ["never scales in below min", { desiredCapacity: 10, minCapacity: 4 }, history(0), { action: "scale-in", desiredCapacity: 4, requiredCapacity: 4 }],
    [
      "never scales in below what is executing",
      { desiredCapacity: 10, executingActions: 7 },
      history(3),
      { action: "scale-in", desiredCapacity: 7, requiredCapacity: 7 },
    ],
    [
      "ignores history older than the idle period",
      { desiredCapacity: 10 },
      [{ atSeconds: now - 900, units: 50 }, ...history(1)],
      { action: "scale-in", desiredCapacity: 1, requiredCapacity: 0 },
    ],
    [
      "brings a desired capacity above max back to max",
      { desiredCapacity: 250, executingActions: 240 },
      [],
      { action: "scale-in", desiredCapacity: 200, requiredCapacity: 200 },
    ],
  ];

  it.each(table)("%s", (_, state, samples, expected) => {
    const decision = decideCapacity(fleet(state), samples, now, settings);
    expect(decision).toMatchObject({ action: expected.action, desiredCapacity: expected.desiredCapacity, requiredCapacity: expected.requiredCapacity });
    if (expected.reason) expect(decision.reason).toMatch(expected.reason);
  });

  it("counts units per action: 4 executing 2-vCPU actions keep 8 units", () => {
    expect(decideCapacity(fleet({ desiredCapacity: 20, executingActions: 4 }), history(0), now, { ...settings, unitsPerAction: 2 })).toMatchObject({
      action: "scale-in",
      desiredCapacity: 8,
    });
  });

  it("scales in step by step as the requirement steps down (a stabilization window)", () => {
    const samples = [...history(8, 300), { atSeconds: now - 400, units: 20 }];
    expect(decideCapacity(fleet({ desiredCapacity: 20, executingActions: 3 }), samples, now, settings)).toMatchObject({
      action: "scale-in",
      desiredCapacity: 8,
    });
  });
});

describe("estimateDrain", () => {
  const drainSettings = { ...settings, rateWindowSeconds: 120 };
  const sample = (secondsAgo: number, completedActions: number | undefined, queuedActions = 0, executingActions = 0, completionShare = 1): DemandSample => ({
    atSeconds: now - secondsAgo,
    completedActions,
    queuedActions,
    executingActions,
    completionShare,
  });
  const table: [string, DemandSample[], DrainEstimate | RegExp][] = [
    ["unknown on the first poll", [sample(0, 500)], /less than 120s of rate history/],
    ["unknown until the history spans the window", [sample(100, 400), sample(40, 450), sample(0, 500)], /less than 120s of rate history/],
    [
      "known over the window: completions from the counter, arrivals = completions + growth of queued + executing",
      [sample(120, 1000, 50, 40), sample(60, 1200, 30, 40), sample(0, 1360, 20, 40)],
      { kind: "known", completionsPerSecond: 3, arrivalsPerSecond: 2.75, overSeconds: 120 },
    ],
    [
      "measured from the newest sample at least the window old",
      [sample(200, 0), sample(130, 260), sample(60, 500), sample(0, 650)],
      { kind: "known", completionsPerSecond: 3, arrivalsPerSecond: 3, overSeconds: 130 },
    ],
    [
      "this fleet's share of the completions (two fleets)",
      [sample(120, 1000, 10, 20, 0.5), sample(0, 1240, 10, 20, 0.5)],
      { kind: "known", completionsPerSecond: 1, arrivalsPerSecond: 1, overSeconds: 120 },
    ],
    [
      "arrivals are never negative (the share is an estimate)",
      [sample(120, 1000, 60, 40, 0.5), sample(0, 1120, 0, 10, 0.5)],
      { kind: "known", completionsPerSecond: 0.5, arrivalsPerSecond: 0, overSeconds: 120 },
    ],
    [
      "unknown after a counter reset (the scheduler restarted)",
      [sample(120, 5000), sample(60, 5100), sample(0, 40)],
      /the completed counter went down \(5100 → 40\): the scheduler restarted/,
    ],
    ["unknown when the feed has no completed series", [sample(120, 1000), sample(0, undefined)], /the feed has no completed-stage series/],
    ["unknown when the series was missing within the window", [sample(120, 1000), sample(60, undefined), sample(0, 1100)], /missing within the rate window/],
    ["unknown after a gap (minutes of bad feed)", [sample(400, 1000), sample(0, 1100)], /no sample between 400s and 120s ago/],
    ["unknown without a sample of this poll", [sample(200, 1000), sample(20, 1100)], /no sample of this poll/],
  ];

  it.each(table)("%s", (_, samples, expected) => {
    const estimate = estimateDrain(samples, now, drainSettings);
    if (expected instanceof RegExp) expect(estimate).toEqual({ kind: "unknown", reason: expect.stringMatching(expected) });
    else expect(estimate).toEqual(expected);
  });
});

describe("decideCapacity with the drain refinement", () => {
  const drainSettings = { ...settings, bootSeconds: 120 };
  const known = (completionsPerSecond: number, arrivalsPerSecond: number): DrainEstimate => ({
    kind: "known",
    completionsPerSecond,
    arrivalsPerSecond,
    overSeconds: 120,
  });
  const table: [string, Partial<FleetState>, { action: string; desiredCapacity: number; requiredCapacity: number; reason: RegExp }][] = [
    [
      "rate unknown (first poll, counter reset, metric missing): the plain rule",
      {
        desiredCapacity: 40,
        executingActions: 40,
        queuedActions: 30,
        drain: { kind: "unknown", reason: "the completed counter went down (9 → 2): the scheduler restarted" },
      },
      { action: "scale-out", desiredCapacity: 70, requiredCapacity: 70, reason: /30 queued \(drain unknown: the completed counter went down/ },
    ],
    [
      "a queue the current fleet drains before a boot needs no new instance",
      { desiredCapacity: 40, executingActions: 40, queuedActions: 30, drain: known(1, 0.5) },
      {
        action: "none",
        desiredCapacity: 40,
        requiredCapacity: 40,
        reason: /\(30 queued − 30 started within the 120s boot: completing 1\/s, arriving 0.5\/s over 120s\)/,
      },
    ],
    [
      "a burst larger than the drain gets capacity for the rest",
      { desiredCapacity: 40, executingActions: 40, queuedActions: 100, drain: known(1, 0.5) },
      { action: "scale-out", desiredCapacity: 80, requiredCapacity: 80, reason: /100 queued − 60 started within the 120s boot/ },
    ],
    [
      "arrivals as fast as completions (a steady load): no net drain, the plain rule",
      { desiredCapacity: 40, executingActions: 40, queuedActions: 10, drain: known(1, 1.2) },
      { action: "scale-out", desiredCapacity: 50, requiredCapacity: 50, reason: /10 queued \(completing 1\/s, arriving 1.2\/s over 120s: no net drain\)/ },
    ],
    [
      "the drain never takes the requirement below what is executing",
      { desiredCapacity: 60, executingActions: 40, queuedActions: 5, drain: known(3, 0) },
      { action: "hold", desiredCapacity: 60, requiredCapacity: 40, reason: /5 queued − 5 started/ },
    ],
    [
      "scale from zero: nothing completes, the plain rule",
      { desiredCapacity: 0, queuedActions: 12, drain: known(0, 0.1) },
      { action: "scale-out", desiredCapacity: 12, requiredCapacity: 12, reason: /no net drain/ },
    ],
  ];

  it.each(table)("%s", (_, state, expected) => {
    const decision = decideCapacity(fleet(state), [], now, drainSettings);
    expect(decision).toMatchObject({ action: expected.action, desiredCapacity: expected.desiredCapacity, requiredCapacity: expected.requiredCapacity });
    expect(decision.reason).toMatch(expected.reason);
  });

  it("does nothing with bootSeconds 0 (the refinement off)", () => {
    expect(requiredCapacity(fleet({ executingActions: 40, queuedActions: 30, drain: known(5, 0) }), settings)).toBe(70);
  });
});

describe("decideCapacity's quick scale-in after a collapse", () => {
  const quick = { ...settings, scaleInAfterSeconds: 180, quickScaleInAfterSeconds: 60, quickScaleInFraction: 0.5 };
  const recent = (units: number): RequiredCapacitySample[] => [
    { atSeconds: now - 60, units },
    { atSeconds: now - 40, units },
    { atSeconds: now - 20, units },
  ];
  const table: [string, Partial<FleetState>, RequiredCapacitySample[], { action: string; desiredCapacity: number; reason?: RegExp }][] = [
    [
      "scales in to the last minute's peak once it is at most half the fleet",
      { desiredCapacity: 100, executingActions: 12 },
      [{ atSeconds: now - 120, units: 100 }, ...recent(20)],
      { action: "scale-in", desiredCapacity: 20, reason: /at most 20 units \(≤ 0.5 × 100\) required for 60s, 12 executing: a collapse/ },
    ],
    [
      "holds a dip above half the fleet for the full idle period",
      { desiredCapacity: 100, executingActions: 60 },
      [{ atSeconds: now - 120, units: 100 }, ...recent(70)],
      { action: "hold", desiredCapacity: 100, reason: /100 units were required within the last 180s/ },
    ],
    [
      "never below what is executing",
      { desiredCapacity: 100, executingActions: 30 },
      [{ atSeconds: now - 120, units: 100 }, ...recent(10)],
      { action: "scale-in", desiredCapacity: 30 },
    ],
    [
      "keeps one action's capacity: the last units go after the full idle period",
      { desiredCapacity: 8 },
      [{ atSeconds: now - 120, units: 8 }, ...recent(0)],
      { action: "scale-in", desiredCapacity: 1, reason: /keeping 1 for the full idle period/ },
    ],
    [
      "holds that last unit until the full idle period has passed",
      { desiredCapacity: 1 },
      [{ atSeconds: now - 120, units: 1 }, ...recent(0)],
      { action: "hold", desiredCapacity: 1 },
    ],
    ["then scales to zero", { desiredCapacity: 1 }, history(0, 180), { action: "scale-in", desiredCapacity: 0, reason: /over-provisioned for 180s/ }],
    [
      "needs evidence for its minute too: a sample within half a minute of its start",
      { desiredCapacity: 100 },
      [{ atSeconds: now - 20, units: 0 }],
      { action: "hold", desiredCapacity: 100, reason: /starts only 20s ago/ },
    ],
  ];

  it.each(table)("%s", (_, state, samples, expected) => {
    const decision = decideCapacity(fleet(state), samples, now, quick);
    expect(decision).toMatchObject({ action: expected.action, desiredCapacity: expected.desiredCapacity });
    if (expected.reason) expect(decision.reason).toMatch(expected.reason);
  });

  it("is off with quickScaleInFraction 0", () => {
    expect(
      decideCapacity(fleet({ desiredCapacity: 100 }), [{ atSeconds: now - 120, units: 100 }, ...recent(0)], now, { ...quick, quickScaleInFraction: 0 }),
    ).toMatchObject({ action: "hold", desiredCapacity: 100 });
  });
});
