import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultPolicySettings } from "../src/policy/capacity-policy.js";
import { autoscalerPolicy, oracle, staticFleet } from "../src/simulator/controllers.js";
import { defaultFleetModel, withWarmPool, type ControllerObservation, type FeedSample } from "../src/simulator/fleet-model.js";
import { simulate } from "../src/simulator/simulate.js";
import { formatTrace, parseTrace, type Trace } from "../src/simulator/trace.js";
import { generateTrace, traceSeeds, type TraceName } from "../src/simulator/trace-generator.js";
import { defaultWarmPool, stoppedHourInVcpuHours, warmPoolTarget } from "../src/simulator/warm-pool.js";

const calm = { ...defaultFleetModel, meanSecondsBetweenInterruptions: 0 };
/** The plain rule with the previous defaults: decisions every 20 s, 180 s idle period, no quick scale-in, no drain. */
const plain = { ...defaultPolicySettings, scaleInAfterSeconds: 180, quickScaleInFraction: 0, bootSeconds: 0 };
const tiny: Trace = {
  name: "tiny",
  description: "",
  durationSeconds: 600,
  actions: [
    { arrivalSeconds: 10, durationSeconds: 60, units: 1 },
    { arrivalSeconds: 10, durationSeconds: 60, units: 1 },
    { arrivalSeconds: 300, durationSeconds: 30, units: 1 },
  ],
};

describe("traces", () => {
  it.each(Object.keys(traceSeeds) as TraceName[])("bench/traces/%s.csv is exactly what the seeded generator makes", (name) => {
    const committed = readFileSync(new URL(`../bench/traces/${name}.csv`, import.meta.url), "utf8");
    expect(committed).toBe(formatTrace(generateTrace(name)));
    expect(parseTrace(committed)).toEqual(generateTrace(name));
  });

  it("rejects a malformed trace naming the line", () => {
    const head = "# name=x\n# duration_s=10\narrival_s,duration_s,units,lane\n";
    expect(() => parseTrace("# name=x\n# duration_s=10\narrival,duration\n5,1\n")).toThrow(
      /trace line 3: expected the header "arrival_s,duration_s,units,lane" \(or "arrival_s,duration_s,units" for a trace without client lanes\)/,
    );
    expect(() => parseTrace("# name=x\n# duration_s=10\narrival_s,duration_s,units\n5,1,1,2\n")).toThrow(/trace line 4: expected whole numbers/);
    expect(() => parseTrace(`${head}5,0,1,\n`)).toThrow(/trace line 4: expected whole numbers/);
    expect(() => parseTrace(`${head}5,1,1,\n4,1,1,\n`)).toThrow(/trace line 5: arrivals must be sorted/);
    expect(() => parseTrace(`${head}5,10,1,3\n9,1,1,3\n`)).toThrow(/trace line 5: lane 3 still has an action in flight until 15 s/);
  });

  it("keeps each action's client lane, and its absence", () => {
    const trace = parseTrace("# name=x\n# duration_s=10\narrival_s,duration_s,units,lane\n5,10,1,3\n6,1,1,\n16,1,1,3\n");
    expect(trace.actions).toEqual([
      { arrivalSeconds: 5, durationSeconds: 10, units: 1, lane: 3 },
      { arrivalSeconds: 6, durationSeconds: 1, units: 1 },
      { arrivalSeconds: 16, durationSeconds: 1, units: 1, lane: 3 },
    ]);
    expect(parseTrace(formatTrace(trace))).toEqual(trace);
    expect(parseTrace("# name=x\n# duration_s=10\narrival_s,duration_s,units\n5,10,1\n").actions).toEqual([
      { arrivalSeconds: 5, durationSeconds: 10, units: 1 },
    ]);
  });

  it("the CI workday's builds keep at most --jobs actions in flight per build (every action has a lane); the other traces are independent arrivals", () => {
    expect(generateTrace("ci-workday").actions.every((action) => action.lane !== undefined)).toBe(true);
    expect(generateTrace("steady").actions.some((action) => action.lane !== undefined)).toBe(false);
    expect(generateTrace("spike").actions.some((action) => action.lane !== undefined)).toBe(false);
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
    const result = simulate(tiny, calm, autoscalerPolicy(plain, 20));
    // Feed at 60 s shows 2 queued, the poll at 60 s launches, ready at 180 s.
    expect(result.queueWaitSeconds.max).toBe(170);
    expect(result.instanceLaunches).toBe(1); // the third action comes within the idle period: no relaunch
    expect(result.workerHours).toBeLessThan(0.5);
  });

  it("holds a lane's next action until the previous one finished, as a Bazel job does; replay-as-traced does not", () => {
    // One lane: the first action waits for the only instance (ready at 120 s) and ends at 180 s; its successor was
    // traced a second after the first would have ended unhindered (71 s).
    const lane: Trace = {
      name: "lane",
      description: "",
      durationSeconds: 600,
      actions: [
        { arrivalSeconds: 10, durationSeconds: 60, units: 1, lane: 1 },
        { arrivalSeconds: 71, durationSeconds: 30, units: 1, lane: 1 },
      ],
    };
    const fleet = { ...calm, minCapacity: 2 };
    const held = simulate(lane, fleet, staticFleet(2));
    expect(held.queueWaitSeconds).toEqual({ p50: 0, p95: 110, max: 110 });
    // The build's view: the successor started at 181 s, 110 s after its traced 71 s.
    expect(held.startDelaySeconds).toEqual({ p50: 110, p95: 110, max: 110 });
    const asTraced = simulate(lane, { ...fleet, clients: "replay-as-traced" }, staticFleet(2));
    expect(asTraced.queueWaitSeconds).toEqual({ p50: 49, p95: 110, max: 110 });
    expect(asTraced.startDelaySeconds).toEqual(asTraced.queueWaitSeconds);
  });

  it("rejects a programmatic trace whose lane overlaps itself, naming the actions", () => {
    const overlapping: Trace = {
      name: "overlap",
      description: "",
      durationSeconds: 100,
      actions: [
        { arrivalSeconds: 0, durationSeconds: 30, units: 1, lane: 4 },
        { arrivalSeconds: 10, durationSeconds: 5, units: 1, lane: 4 },
      ],
    };
    expect(() => simulate(overlapping, calm, staticFleet(2))).toThrow(/overlap: action 1 of lane 4 arrives at 10 s, before action 0 of its lane ends \(30 s\)/);
  });

  it("is deterministic, spot interruptions included", () => {
    const trace = generateTrace("spike");
    const run = () => simulate(trace, defaultFleetModel, autoscalerPolicy(defaultPolicySettings, 20, 5));
    expect(run()).toEqual(run());
    expect(run().interruptions).toBeGreaterThan(0);
  });

  it("exports NativeLink's completed counter: the actions finished so far (the two early ones end at 180 s, the third at 330 s)", () => {
    const seen: FeedSample[] = [];
    const watcher = {
      name: "watcher",
      intervalSeconds: 1,
      decide: (observation: ControllerObservation) => (observation.feed && seen.at(-1) !== observation.feed && seen.push(observation.feed), 2),
    };
    simulate(tiny, { ...calm, minCapacity: 2, feedIntervalSeconds: 60 }, watcher);
    expect(seen.map((feed) => [feed.atSeconds, feed.completedActions])).toEqual([
      [0, 0],
      [60, 0],
      [120, 0],
      [180, 2],
      [240, 2],
      [300, 2],
      [360, 3],
      [420, 3],
      [480, 3],
      [540, 3],
    ]);
  });

  it("decides as soon as a new export differs, between polls, when the feed is checked more often", () => {
    // Exports at 5, 65, …; polls every 20 s. The queue exported at 65 s is decided on at 65 s, not at 80 s.
    const model = { ...calm, feedPhaseSeconds: 5 };
    const late = { ...tiny, actions: tiny.actions.map((action) => ({ ...action, arrivalSeconds: 10 })) };
    const polled = simulate(late, model, autoscalerPolicy(plain, 20));
    const checked = simulate(late, model, autoscalerPolicy(plain, 20, 5));
    expect(polled.queueWaitSeconds.max).toBe(80 + 120 - 10);
    expect(checked.queueWaitSeconds.max).toBe(65 + 120 - 10);
  });

  it("a warm pool: a scale-out resumes a stopped worker in resumeSeconds, the pool refills, stopped volumes are billed", () => {
    const pool = defaultWarmPool; // the construct's `warmPool: {}`: one instance stopped
    const one: Trace = { name: "one", description: "", durationSeconds: 600, actions: [{ arrivalSeconds: 300, durationSeconds: 60, units: 1 }] };
    const atFiveMinutes = {
      name: "two vCPUs from 300 s",
      intervalSeconds: 1,
      decide: (observation: ControllerObservation) => (observation.nowSeconds >= 300 ? 2 : 0),
    };
    const result = simulate(one, withWarmPool(calm, pool), atFiveMinutes);
    // The pool's instance boots at 0 and stops at 120; resumed at 300, it takes the action at 345.
    expect(result.queueWaitSeconds.max).toBe(45);
    // The pool refills at 300 with a second launch, which initializes until 420 and stops.
    expect(result.instanceLaunches).toBe(2);
    // Running: 0–120 and 300–600 (the first), 300–420 (the second); stopped: 120–300 and 420–600.
    expect(result.workerHours).toBeCloseTo((540 * 2) / 3600, 6);
    expect(result.stoppedVolumeHours).toBeCloseTo((360 / 3600) * stoppedHourInVcpuHours(pool, 2), 9);
    // 20 GiB × $0.08/GiB-month ÷ 730 h = $0.00219/h, over m6id.large's $0.05935 per vCPU-hour: 0.037 vCPU-hours.
    expect(stoppedHourInVcpuHours(pool, 2)).toBeCloseTo(0.0369, 4);
  });

  /** One 60 s action at 300 s, and two vCPUs wanted from 300 s to 420 s: a scale-out, then a scale-in. */
  const oneAt300: Trace = { name: "one", description: "", durationSeconds: 900, actions: [{ arrivalSeconds: 300, durationSeconds: 60, units: 1 }] };
  const from300to420 = {
    name: "two vCPUs from 300 s to 420 s",
    intervalSeconds: 1,
    decide: (observation: ControllerObservation) => (observation.nowSeconds >= 300 && observation.nowSeconds < 420 ? 2 : 0),
  };

  it("a warm pool: a scaled-in worker is terminated, never stopped into the pool; a launch refills it (reuseOnScaleIn: false)", () => {
    // Two prepared at a desired capacity of 0, one beside one in service.
    const pool = { ...defaultWarmPool, minSize: 1, maxGroupPreparedCapacity: 2, reuseOnScaleIn: false };
    const result = simulate(oneAt300, withWarmPool(calm, pool), from300to420);
    // A and B launch into the pool at 0 and stop at 120; A resumes at 300 and runs the action 345–405. Scaled in at
    // 420, A is terminated although the pool is one short, and C launches to refill it (initializing until 540).
    expect(result.queueWaitSeconds.max).toBe(45);
    expect(result.instanceLaunches).toBe(3);
    // Running: A 0–120 and 300–420, B 0–120, C 420–540; stopped: A 120–300, B 120–900, C 540–900.
    expect(result.workerHours).toBeCloseTo((480 * 2) / 3600, 6);
    expect(result.stoppedVolumeHours).toBeCloseTo(((180 + 780 + 360) / 3600) * stoppedHourInVcpuHours(pool, 2), 9);
  });

  it("a warm pool with reuseOnScaleIn: a worker resumed, scaled in, returned, resumed again launches nothing", () => {
    // Two prepared at a desired capacity of 0, one beside one in service (the pool holds 2 - desired, at least 1).
    const pool = { ...defaultWarmPool, minSize: 1, maxGroupPreparedCapacity: 2, reuseOnScaleIn: true };
    const two: Trace = {
      name: "two",
      description: "",
      durationSeconds: 900,
      actions: [
        { arrivalSeconds: 300, durationSeconds: 60, units: 1 },
        { arrivalSeconds: 600, durationSeconds: 60, units: 1 },
      ],
    };
    const twoWindows = {
      name: "two vCPUs in 300–420 s and 600–720 s",
      intervalSeconds: 1,
      decide: ({ nowSeconds: t }: ControllerObservation) => ((t >= 300 && t < 420) || (t >= 600 && t < 720) ? 2 : 0),
    };
    const result = simulate(two, withWarmPool(calm, pool), twoWindows);
    // A and B launch into the pool at 0 and stop at 120. A resumes at 300 (no refill: B is the one the pool keeps beside
    // one in service) and runs 345–405; scaled in at 420 it is idle, so it stops into the pool at once; resumed at 600,
    // it runs 645–705, and returns at 720. Without reuse, each scale-in would terminate A and launch a refill.
    expect(result.instanceLaunches).toBe(2);
    expect(result.queueWaitSeconds.max).toBe(45);
    // Running: A 0–120, 300–420, 600–720, B 0–120; stopped: A 120–300, 420–600, 720–900, B 120–900.
    expect(result.workerHours).toBeCloseTo((480 * 2) / 3600, 6);
    expect(result.stoppedVolumeHours).toBeCloseTo(((540 + 780) / 3600) * stoppedHourInVcpuHours(pool, 2), 9);
  });

  it("a warm pool with reuseOnScaleIn: a returning worker the pool has no room for is terminated (warmPool: {})", () => {
    const pool = { ...defaultWarmPool, reuseOnScaleIn: true }; // minSize 1, at most 0 + 1 prepared: always one in the pool
    const result = simulate(oneAt300, withWarmPool(calm, pool), from300to420);
    // A resumes at 300 and B refills the pool (stopped at 420); scaled in at 420, A finds the pool full: terminated.
    expect(result.instanceLaunches).toBe(2);
    // Running: A 0–120 and 300–420, B 300–420; stopped: A 120–300, B 420–900.
    expect(result.workerHours).toBeCloseTo((360 * 2) / 3600, 6);
    expect(result.stoppedVolumeHours).toBeCloseTo(((180 + 480) / 3600) * stoppedHourInVcpuHours(pool, 2), 9);
  });

  it("a warm pool with reuseOnScaleIn: a busy worker drains before it returns; meanwhile it holds its place, no refill", () => {
    const pool = { ...defaultWarmPool, minSize: 1, maxGroupPreparedCapacity: 2, reuseOnScaleIn: true };
    const long: Trace = { name: "long", description: "", durationSeconds: 900, actions: [{ arrivalSeconds: 300, durationSeconds: 300, units: 1 }] };
    const result = simulate(long, withWarmPool(calm, pool), from300to420);
    // A runs the action 345–645; scaled in at 420 it drains until 645 (paid as running), then stops: no launch after B.
    expect(result.instanceLaunches).toBe(2);
    expect(result.queueWaitSeconds.max).toBe(45);
    // Running: A 0–120 and 300–645, B 0–120; stopped: A 120–300 and 645–900, B 120–900.
    expect(result.workerHours).toBeCloseTo((585 * 2) / 3600, 6);
    expect(result.stoppedVolumeHours).toBeCloseTo(((435 + 780) / 3600) * stoppedHourInVcpuHours(pool, 2), 9);
  });

  it.each([
    // The construct's props → instances in the pool beside a desired capacity (expected from its documented defaults:
    // minSize 1, MaxGroupPreparedCapacity = the group's minimum instances + minSize; the pool holds
    // MaxGroupPreparedCapacity - desired, at least minSize). Cases of constructs' warm-pool.test.ts and examples/warm-pool.
    ["warmPool: {} on minVcpus 0", {}, 0, [0, 1, 30], [1, 1, 1]],
    ["warmPool: { minSize: 32 } on minVcpus 0 (the bench's)", { minSize: 32 }, 0, [0, 10, 100], [32, 32, 32]],
    ["examples/warm-pool: { minSize: 4 } on minVcpus 2 (synthesized: 4, prepared 5)", { minSize: 4 }, 2, [1, 2, 50], [4, 4, 4]],
    ["constructs: { minSize: 3 } on minVcpus 4 (synthesized: 3, prepared 2 + 3)", { minSize: 3 }, 4, [2, 3, 20], [3, 3, 3]],
    ["{ minSize: 1, maxGroupPreparedCapacity: 12 } on minVcpus 4", { minSize: 1, maxGroupPreparedCapacity: 12 }, 4, [2, 5, 11, 12, 20], [10, 7, 1, 1, 1]],
  ])("the pool of %s", (_, sizes, minVcpus, desiredInstances, poolInstances) => {
    const pool = { ...defaultWarmPool, ...sizes };
    expect(desiredInstances.map((desired) => warmPoolTarget(pool, Math.ceil(minVcpus / 2), desired))).toEqual(poolInstances);
  });

  it("rejects a check interval that does not divide the poll interval", () => {
    expect(() => autoscalerPolicy(defaultPolicySettings, 20, 3)).toThrow(/feedCheckSeconds \(3\) must divide pollSeconds \(20\)/);
  });
});
