import { describe, expect, it } from "vitest";
import { decideCapacity, requiredCapacity, type FleetState, type RequiredCapacitySample } from "../src/policy/capacity-policy.js";

const settings = { unitsPerAction: 1, scaleInAfterSeconds: 300 };
const now = 10_000;
const fleet = (overrides: Partial<FleetState>): FleetState => ({ queuedActions: 0, executingActions: 0, desiredCapacity: 10, minCapacity: 0, maxCapacity: 200, ...overrides });
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
  const table: [string, Partial<FleetState>, RequiredCapacitySample[], { action: string; desiredCapacity: number; reason?: RegExp }][] = [
    ["scales out at once to cover executing + queued", { desiredCapacity: 10, executingActions: 10, queuedActions: 25 }, [], { action: "scale-out", desiredCapacity: 35, reason: /scale out at once/ }],
    ["scales from zero", { desiredCapacity: 0, queuedActions: 1 }, [], { action: "scale-out", desiredCapacity: 1 }],
    ["scales out no further than max", { desiredCapacity: 150, queuedActions: 500 }, [], { action: "scale-out", desiredCapacity: 200 }],
    ["does nothing when the demand fits exactly", { desiredCapacity: 10, executingActions: 10 }, history(10), { action: "none", desiredCapacity: 10 }],
    ["holds an over-provisioned fleet without history (just deployed)", { desiredCapacity: 10, executingActions: 2 }, [], { action: "hold", desiredCapacity: 10, reason: /no requirement history/ }],
    ["holds when the history starts inside the idle period", { desiredCapacity: 10, executingActions: 2 }, history(2, 120), { action: "hold", desiredCapacity: 10, reason: /starts only 120s ago/ }],
    ["holds when the history has a gap (bad feed for minutes)", { desiredCapacity: 10 }, [{ atSeconds: now - 300, units: 0 }, { atSeconds: now - 30, units: 0 }], { action: "hold", desiredCapacity: 10, reason: /270s gap/ }],
    ["holds while the fleet was needed within the idle period", { desiredCapacity: 10, executingActions: 2 }, [...history(2), { atSeconds: now - 100, units: 10 }], { action: "hold", desiredCapacity: 10, reason: /10 units were required/ }],
    ["scales in after the idle period to its peak requirement", { desiredCapacity: 10, executingActions: 2 }, [...history(2), { atSeconds: now - 100, units: 6 }], { action: "scale-in", desiredCapacity: 6, reason: /over-provisioned for 300s/ }],
    ["scales in to zero when min is zero and nothing ran for the idle period", { desiredCapacity: 10 }, history(0), { action: "scale-in", desiredCapacity: 0 }],
    ["never scales in below min", { desiredCapacity: 10, minCapacity: 4 }, history(0), { action: "scale-in", desiredCapacity: 4 }],
    ["never scales in below what is executing", { desiredCapacity: 10, executingActions: 7 }, history(3), { action: "scale-in", desiredCapacity: 7 }],
    ["ignores history older than the idle period", { desiredCapacity: 10 }, [{ atSeconds: now - 900, units: 50 }, ...history(1)], { action: "scale-in", desiredCapacity: 1 }],
    ["brings a desired capacity above max back to max", { desiredCapacity: 250, executingActions: 240 }, [], { action: "scale-in", desiredCapacity: 200 }],
  ];

  it.each(table)("%s", (_, state, samples, expected) => {
    const decision = decideCapacity(fleet(state), samples, now, settings);
    expect(decision).toMatchObject({ action: expected.action, desiredCapacity: expected.desiredCapacity });
    if (expected.reason) expect(decision.reason).toMatch(expected.reason);
    expect(decision.requiredCapacity).toBe(requiredCapacity(fleet(state), settings));
  });

  it("counts units per action: 4 executing 2-vCPU actions keep 8 units", () => {
    expect(decideCapacity(fleet({ desiredCapacity: 20, executingActions: 4 }), history(0), now, { ...settings, unitsPerAction: 2 })).toMatchObject({ action: "scale-in", desiredCapacity: 8 });
  });

  it("scales in step by step as the requirement steps down (a stabilization window)", () => {
    const samples = [...history(8, 300), { atSeconds: now - 400, units: 20 }];
    expect(decideCapacity(fleet({ desiredCapacity: 20, executingActions: 3 }), samples, now, settings)).toMatchObject({ action: "scale-in", desiredCapacity: 8 });
  });
});
