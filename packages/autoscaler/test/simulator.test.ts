import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decideCapacity } from "../src/policy/capacity-policy.js";
import { autoscalerPolicy, oracle, staticFleet } from "../src/simulator/controllers.js";
import { defaultFleetModel } from "../src/simulator/fleet-model.js";
import { simulate } from "../src/simulator/simulate.js";
import { formatTrace, parseTrace, type Trace } from "../src/simulator/trace.js";
import { generateTrace, traceSeeds, type TraceName } from "../src/simulator/trace-generator.js";

const calm = { ...defaultFleetModel, meanSecondsBetweenInterruptions: 0 };
const tiny: Trace = { name: "tiny", description: "", durationSeconds: 600, actions: [{ arrivalSeconds: 10, durationSeconds: 60, units: 1 }, { arrivalSeconds: 10, durationSeconds: 60, units: 1 }, { arrivalSeconds: 300, durationSeconds: 30, units: 1 }] };

describe("traces", () => {
  it.each(Object.keys(traceSeeds) as TraceName[])("bench/traces/%s.csv is exactly what the seeded generator makes", (name) => {
    const committed = readFileSync(new URL(`../bench/traces/${name}.csv`, import.meta.url), "utf8");
    expect(committed).toBe(formatTrace(generateTrace(name)));
    expect(parseTrace(committed)).toEqual(generateTrace(name));
  });

  it("rejects a malformed trace naming the line", () => {
    expect(() => parseTrace("# name=x\n# duration_s=10\narrival_s,duration_s,units\n5,0,1\n")).toThrow(/trace line 4: expected whole numbers/);
    expect(() => parseTrace("# name=x\n# duration_s=10\narrival_s,duration_s,units\n5,1,1\n4,1,1\n")).toThrow(/trace line 5: arrivals must be sorted/);
  });
});

describe("simulate", () => {
  it("a static fleet runs actions in order as slots free up and pays for every second", () => {
    const result = simulate(tiny, { ...calm, minCapacity: 1 }, staticFleet(1));
    // One 2-vCPU instance, ready at 120 s: both early actions wait 110 s; the third runs at once.
    expect(result.queueWaitSeconds).toEqual({ p50: 110, p95: 110, max: 110 });
    expect(result.workerHours).toBeCloseTo((2 * 600) / 3600, 5);
  });

  it("the oracle boots ahead of demand: nothing waits once the first boot could have finished", () => {
    const late = { ...tiny, actions: tiny.actions.map((action) => ({ ...action, arrivalSeconds: action.arrivalSeconds + 200 })), durationSeconds: 900 };
    expect(simulate(late, calm, oracle(1)).queueWaitSeconds.max).toBe(0);
    // Before any instance can boot, even the oracle waits: it still runs everything.
    expect(simulate(tiny, calm, oracle(1)).queueWaitSeconds.max).toBe(110);
  });

  it("the policy scales from zero after the feed shows the queue, then back to zero after the idle period", () => {
    const result = simulate(tiny, calm, autoscalerPolicy({ unitsPerAction: 1, scaleInAfterSeconds: 180 }, 20));
    // Feed at 60 s shows 2 queued, the poll at 60 s launches, ready at 180 s.
    expect(result.queueWaitSeconds.max).toBe(170);
    expect(result.instanceLaunches).toBe(1); // the third action comes within the idle period: no relaunch
    expect(result.workerHours).toBeLessThan(0.5);
  });

  it("is deterministic, spot interruptions included", () => {
    const trace = generateTrace("spike");
    const run = () => simulate(trace, defaultFleetModel, autoscalerPolicy({ unitsPerAction: 1, scaleInAfterSeconds: 180 }, 20));
    expect(run()).toEqual(run());
    expect(run().interruptions).toBeGreaterThan(0);
  });

  it("drives the real policy function (the controller is a thin adapter)", () => {
    expect(autoscalerPolicy.toString()).toContain("decideCapacity");
    expect(typeof decideCapacity).toBe("function");
  });
});
