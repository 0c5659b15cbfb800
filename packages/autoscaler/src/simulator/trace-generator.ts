import { Lanes, bazelBuild } from "./bazel-build.js";
import { exponential, logNormal, seededRandom } from "./random.js";
import type { Trace, TraceAction } from "./trace.js";

/** Seeds of the committed traces in bench/traces/: change one and the files must be regenerated (`npm run traces`). */
export const traceSeeds = { "ci-workday": 20_240_601, steady: 20_240_602, spike: 20_240_603 } as const;
export type TraceName = keyof typeof traceSeeds;

const whole = (value: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(value)));

/** A build of the tuning traces: its lanes open over the first half minute. */
function build(random: () => number, lanes: Lanes, start: number, count: number, jobs: number, duration: () => number): TraceAction[] {
  return bazelBuild(random, lanes.open(jobs), start, count, jobs, duration, 30);
}

/**
 * A CI workday: 10 working hours and a quiet hour. CI builds (`--jobs` 40 or 80; compile actions of seconds, a
 * tenth tests of minutes) arrive as a Poisson process whose rate peaks mid-morning and mid-afternoon and dips at
 * lunch; developers' small builds arrive in between.
 */
function ciWorkday(random: () => number): TraceAction[] {
  const actions: TraceAction[] = [];
  const lanes = new Lanes();
  const workSeconds = 10 * 3600;
  const shape = (t: number) => {
    const hour = t / 3600;
    return 0.3 + Math.exp(-(((hour - 2.2) / 1.1) ** 2)) + 0.8 * Math.exp(-(((hour - 6.8) / 1.4) ** 2)) - 0.25 * Math.exp(-(((hour - 4.3) / 0.4) ** 2));
  };
  const duration = () => (random() < 0.1 ? whole(logNormal(random, 120, 0.8), 5, 1200) : whole(logNormal(random, 20, 0.8), 1, 600));
  // Thinning: candidate builds at the peak rate, kept in proportion to the day's shape.
  for (let t = exponential(random, 600); t < workSeconds; t += exponential(random, 600)) {
    if (random() > shape(t) / 1.35) continue;
    actions.push(...build(random, lanes, t, whole(logNormal(random, 350, 0.6), 40, 2000), random() < 0.5 ? 40 : 80, duration));
  }
  for (let t = exponential(random, 300); t < workSeconds; t += exponential(random, 300)) {
    actions.push(...build(random, lanes, t, whole(logNormal(random, 12, 0.6), 3, 60), 8, () => whole(logNormal(random, 8, 0.8), 1, 300)));
  }
  return actions;
}

/** A steady load: Poisson arrivals at 0.6 per second, a minute and a half each on median. */
function steady(random: () => number): TraceAction[] {
  const actions: TraceAction[] = [];
  for (let t = exponential(random, 1 / 0.6); t < 4 * 3600; t += exponential(random, 1 / 0.6)) {
    actions.push({ arrivalSeconds: Math.floor(t), durationSeconds: whole(logNormal(random, 80, 0.6), 5, 900), units: 1 });
  }
  return actions;
}

/** One large spike on a quiet background: 170 long tests (six minutes on median) within 20 seconds, at 0:30. */
function spike(random: () => number): TraceAction[] {
  const actions: TraceAction[] = [];
  for (let t = exponential(random, 30); t < 2 * 3600; t += exponential(random, 30)) {
    actions.push({ arrivalSeconds: Math.floor(t), durationSeconds: whole(logNormal(random, 20, 0.5), 2, 300), units: 1 });
  }
  for (let i = 0; i < 170; i += 1) {
    actions.push({ arrivalSeconds: 1800 + Math.floor(random() * 20), durationSeconds: whole(logNormal(random, 360, 0.4), 60, 1200), units: 1 });
  }
  return actions;
}

const generators: Record<TraceName, { description: string; durationSeconds: number; generate: (random: () => number) => TraceAction[] }> = {
  "ci-workday": {
    description: "bursty CI workday: CI builds peaking mid-morning and mid-afternoon, developer builds between",
    durationSeconds: 11 * 3600,
    generate: ciWorkday,
  },
  steady: { description: "steady load: Poisson arrivals at 0.6/s, 80 s median", durationSeconds: 4 * 3600, generate: steady },
  spike: { description: "single large spike: 170 six-minute tests within 20 s at 0:30 on a quiet background", durationSeconds: 2 * 3600, generate: spike },
};

/** The named trace, identical on every run and machine; another `seed` gives another day of the same shape. */
export function generateTrace(name: TraceName, seed: number = traceSeeds[name]): Trace {
  const { description, durationSeconds, generate } = generators[name];
  const actions = generate(seededRandom(seed))
    .filter((action) => action.arrivalSeconds < durationSeconds)
    .sort((a, b) => a.arrivalSeconds - b.arrivalSeconds || a.durationSeconds - b.durationSeconds);
  return { name, description, durationSeconds, actions };
}
