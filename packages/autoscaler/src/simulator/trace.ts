import * as z from "zod";

/** One action of a trace: when it reaches the scheduler, how long it runs once a worker has it, and its vCPUs. */
export interface TraceAction {
  readonly arrivalSeconds: number;
  readonly durationSeconds: number;
  readonly units: number;
}

/** A replayable workload: actions sorted by arrival, over `durationSeconds` (the billing horizon). */
export interface Trace {
  readonly name: string;
  readonly description: string;
  readonly durationSeconds: number;
  readonly actions: readonly TraceAction[];
}

const header = "arrival_s,duration_s,units";
const metaLine = /^# (name|description|duration_s)=(.*)$/;
const whole = z.coerce.number().int().nonnegative();
const rowSchema = z.tuple([whole, whole.pipe(z.number().min(1)), whole.pipe(z.number().min(1))]);

/** CSV with `# key=value` lines first: small, diffable, and what bench/traces/ holds. */
export function formatTrace(trace: Trace): string {
  const lines = [`# name=${trace.name}`, `# description=${trace.description}`, `# duration_s=${trace.durationSeconds}`, header];
  for (const action of trace.actions) lines.push(`${action.arrivalSeconds},${action.durationSeconds},${action.units}`);
  return `${lines.join("\n")}\n`;
}

/** Parses and checks a trace file; throws naming the line that is wrong. */
export function parseTrace(text: string): Trace {
  const meta: Record<string, string> = {};
  const actions: TraceAction[] = [];
  let sawHeader = false;
  text.split("\n").forEach((line, index) => {
    const where = `trace line ${index + 1}`;
    if (line.trim() === "") return;
    const metaMatch = metaLine.exec(line);
    if (metaMatch) {
      meta[metaMatch[1]!] = metaMatch[2]!;
      return;
    }
    if (!sawHeader) {
      if (line !== header) throw new Error(`${where}: expected the header "${header}"`);
      sawHeader = true;
      return;
    }
    const parsed = rowSchema.safeParse(line.split(","));
    if (!parsed.success) throw new Error(`${where}: expected whole numbers "arrival_s,duration_s,units" with duration and units ≥ 1, got "${line}"`);
    const [arrivalSeconds, durationSeconds, units] = parsed.data;
    const previous = actions.at(-1);
    if (previous && arrivalSeconds < previous.arrivalSeconds) throw new Error(`${where}: arrivals must be sorted`);
    actions.push({ arrivalSeconds, durationSeconds, units });
  });
  const durationSeconds = whole.safeParse(meta.duration_s);
  if (!meta.name || !durationSeconds.success) throw new Error("trace: the \"# name=\" and \"# duration_s=\" lines are required");
  return { name: meta.name, description: meta.description ?? "", durationSeconds: durationSeconds.data, actions };
}
