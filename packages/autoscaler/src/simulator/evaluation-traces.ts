// Held-out evaluation traces: shapes and seeds never used while tuning the policy. The tuning traces are those of
// trace-generator.ts (bench/traces/*.csv and their seeds + 1000…); judge a policy change on these only.
import { Lanes, bazelBuild } from "./bazel-build.js";
import { exponential, logNormal, seededRandom } from "./random.js";
import type { Trace, TraceAction } from "./trace.js";

/** Day `d` of family `f` is generated from `evaluationSeedBase + 1000 × (index of f) + d`: reserved for evaluation. */
export const evaluationSeedBase = 770_000_000;

export const evaluationFamilies = ["pr-bursts", "long-tests", "nightly", "workday-mix", "merge-queue"] as const;
export type EvaluationFamily = (typeof evaluationFamilies)[number];

const whole = (value: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(value)));
const between = (random: () => number, min: number, max: number) => min + (max - min) * random();

const build = (random: () => number, firstLane: number, start: number, count: number, jobs: number, duration: () => number, fanOutSeconds = 20) =>
  bazelBuild(random, firstLane, start, count, jobs, duration, fanOutSeconds);

/** Pull-request builds of 80–400 short actions (median 6–10 s), `--jobs 64`, one every 4–20 minutes, for 10 hours. */
function prBursts(random: () => number): TraceAction[] {
  const lanes = new Lanes();
  const median = between(random, 6, 10);
  const actions: TraceAction[] = [];
  for (let t = between(random, 0, 600); t < 10 * 3600; t += between(random, 240, 1200)) {
    actions.push(...build(random, lanes.open(64), t, whole(between(random, 80, 400), 80, 400), 64, () => whole(logNormal(random, median, 0.7), 1, 180)));
  }
  return actions;
}

/** Independent 10–40 minute tests (integration suites), Poisson arrivals at one per 40–120 s, for 8 hours. */
function longTests(random: () => number): TraceAction[] {
  const gap = between(random, 40, 120);
  const actions: TraceAction[] = [];
  for (let t = exponential(random, gap); t < 8 * 3600; t += exponential(random, gap)) {
    actions.push({ arrivalSeconds: Math.floor(t), durationSeconds: whole(between(random, 600, 2400), 600, 2400), units: 1 });
  }
  return actions;
}

/** A nightly build of 3,000 heavy-tailed actions (log-normal, median 10–25 s, σ 1.4, up to an hour), `--jobs` 100 or 200. */
function nightly(random: () => number): TraceAction[] {
  const median = between(random, 10, 25);
  const jobs = random() < 0.5 ? 100 : 200;
  return build(random, 1, between(random, 300, 900), 3000, jobs, () => whole(logNormal(random, median, 1.4), 1, 3600), 60);
}

/**
 * A workday mix over 10 hours: PR builds whose rate follows the day (peaks mid-morning and mid-afternoon, a lunch
 * dip), integration tests of 10–30 minutes through the day, developers' small builds of seconds.
 */
function workdayMix(random: () => number): TraceAction[] {
  const lanes = new Lanes();
  const actions: TraceAction[] = [];
  const shape = (t: number) => {
    const hour = t / 3600;
    return 0.25 + Math.exp(-(((hour - 2.5) / 1.2) ** 2)) + 0.9 * Math.exp(-(((hour - 7) / 1.3) ** 2)) - 0.2 * Math.exp(-(((hour - 4.5) / 0.5) ** 2));
  };
  const peakGap = between(random, 300, 720);
  for (let t = exponential(random, peakGap); t < 10 * 3600; t += exponential(random, peakGap)) {
    if (random() > shape(t) / 1.3) continue;
    const jobs = random() < 0.5 ? 32 : 64;
    actions.push(...build(random, lanes.open(jobs), t, whole(logNormal(random, 250, 0.6), 40, 1500), jobs, () => whole(logNormal(random, 12, 0.9), 1, 900)));
  }
  for (let t = exponential(random, 400); t < 10 * 3600; t += exponential(random, 400)) {
    actions.push({ arrivalSeconds: Math.floor(t), durationSeconds: whole(between(random, 600, 1800), 600, 1800), units: 1 });
  }
  for (let t = exponential(random, 240); t < 10 * 3600; t += exponential(random, 240)) {
    actions.push(...build(random, lanes.open(8), t, whole(logNormal(random, 15, 0.6), 3, 80), 8, () => whole(logNormal(random, 6, 0.8), 1, 200)));
  }
  return actions;
}

/**
 * A merge queue for 10 hours: one build at a time, back to back with a minute or two between (the queue tests each
 * batch before it merges): 150–600 actions of median 15 s, `--jobs 48`; quiet for 0–2 hours at lunch.
 */
function mergeQueue(random: () => number): TraceAction[] {
  const lanes = new Lanes();
  const lunch = between(random, 3.5, 5) * 3600;
  const lunchHours = between(random, 0, 2) * 3600;
  const actions: TraceAction[] = [];
  for (let t = between(random, 0, 300); t < 10 * 3600; ) {
    if (t >= lunch && t < lunch + lunchHours) {
      t = lunch + lunchHours;
      continue;
    }
    const batch = build(random, lanes.open(48), t, whole(between(random, 150, 600), 150, 600), 48, () => whole(logNormal(random, 15, 0.8), 1, 600));
    actions.push(...batch);
    t = Math.max(...batch.map((action) => action.arrivalSeconds + action.durationSeconds)) + between(random, 60, 120);
  }
  return actions;
}

const families: Record<EvaluationFamily, { description: string; durationSeconds: number; generate: (random: () => number) => TraceAction[] }> = {
  "pr-bursts": { description: "PR builds: 80–400 short actions, --jobs 64, every 4–20 min", durationSeconds: 10 * 3600, generate: prBursts },
  "long-tests": { description: "independent 10–40 min tests, one per 40–120 s", durationSeconds: 8 * 3600, generate: longTests },
  nightly: { description: "a nightly build: 3,000 heavy-tailed actions (σ 1.4)", durationSeconds: 6 * 3600, generate: nightly },
  "workday-mix": { description: "PR builds shaped by the day, integration tests, developer builds", durationSeconds: 10 * 3600, generate: workdayMix },
  "merge-queue": { description: "a merge queue: back-to-back builds of 150–600 actions, a lunch lull", durationSeconds: 10 * 3600, generate: mergeQueue },
};

/**
 * Tuning days of the same families, `tuningSeedBase + 1000 × (index of f) + d`: a policy change is tuned on these and
 * then judged on the evaluation days, never tuned on those.
 */
export const tuningSeedBase = 880_000_000;

export function evaluationSeed(family: EvaluationFamily, day: number): number {
  return evaluationSeedBase + 1000 * evaluationFamilies.indexOf(family) + day;
}

export function tuningSeed(family: EvaluationFamily, day: number): number {
  return tuningSeedBase + 1000 * evaluationFamilies.indexOf(family) + day;
}

function familyTrace(family: EvaluationFamily, seed: number, name: string): Trace {
  const { description, durationSeconds, generate } = families[family];
  const actions = generate(seededRandom(seed))
    .filter((action) => action.arrivalSeconds < durationSeconds)
    .sort((a, b) => a.arrivalSeconds - b.arrivalSeconds || a.durationSeconds - b.durationSeconds);
  return { name, description, durationSeconds, actions };
}

/** Day `day` (0, 1, …) of a held-out family: the same trace on every machine. */
export function evaluationTrace(family: EvaluationFamily, day: number): Trace {
  return familyTrace(family, evaluationSeed(family, day), `${family} day ${day}`);
}

/** Tuning day `day` of a family: tune here, judge on `evaluationTrace`. */
export function tuningTrace(family: EvaluationFamily, day: number): Trace {
  return familyTrace(family, tuningSeed(family, day), `${family} tuning day ${day}`);
}
