import * as z from "zod";

/** One action of a trace: when it reaches the scheduler, how long it runs once a worker has it, and its vCPUs. */
export interface TraceAction {
  readonly arrivalSeconds: number;
  readonly durationSeconds: number;
  readonly units: number;
  /**
   * The client job slot (one of a Bazel build's `--jobs`) that submits it, if any: a lane has at most one action in
   * flight (queued or executing), so the simulator can delay the lane's next action when this one waited. Absent: an
   * independent arrival (many clients, each with a single action in flight).
   */
  readonly lane?: number;
}

/** A replayable workload: actions sorted by arrival, over `durationSeconds` (the billing horizon). */
export interface Trace {
  readonly name: string;
  readonly description: string;
  readonly durationSeconds: number;
  readonly actions: readonly TraceAction[];
}

const header = "arrival_s,duration_s,units,lane";
/** Traces written before lanes existed: every action an independent arrival. */
const headerWithoutLanes = "arrival_s,duration_s,units";
const metaLine = /^# (name|description|duration_s)=(.*)$/;
const whole = z.coerce.number().int().nonnegative();
const rowSchema = z.tuple([whole, whole.pipe(z.number().min(1)), whole.pipe(z.number().min(1)), z.union([z.literal("").transform(() => undefined), whole])]);

/** CSV with `# key=value` lines first: small, diffable, and what bench/traces/ holds. */
export function formatTrace(trace: Trace): string {
  const lines = [`# name=${trace.name}`, `# description=${trace.description}`, `# duration_s=${trace.durationSeconds}`, header];
  for (const action of trace.actions) lines.push(`${action.arrivalSeconds},${action.durationSeconds},${action.units},${action.lane ?? ""}`);
  return `${lines.join("\n")}\n`;
}

/** Parses and checks a trace file; throws naming the line that is wrong. */
export function parseTrace(text: string): Trace {
  const meta: Record<string, string> = {};
  const actions: TraceAction[] = [];
  const laneFreeAt = new Map<number, number>();
  let sawHeader = false;
  let lanesColumn = true;
  text.split("\n").forEach((line, index) => {
    const where = `trace line ${index + 1}`;
    if (line.trim() === "") return;
    const metaMatch = metaLine.exec(line);
    if (metaMatch) {
      meta[metaMatch[1]!] = metaMatch[2]!;
      return;
    }
    if (!sawHeader) {
      if (line !== header && line !== headerWithoutLanes)
        throw new Error(`${where}: expected the header "${header}" (or "${headerWithoutLanes}" for a trace without client lanes)`);
      sawHeader = true;
      lanesColumn = line === header;
      return;
    }
    const cells = line.split(",");
    const parsed = rowSchema.safeParse(lanesColumn ? cells : cells.length === 3 ? [...cells, ""] : []);
    if (!parsed.success) {
      const columns = lanesColumn ? `"${header}" with duration and units ≥ 1 (lane may be empty)` : `"${headerWithoutLanes}" with duration and units ≥ 1`;
      throw new Error(`${where}: expected whole numbers ${columns}, got "${line}"`);
    }
    const [arrivalSeconds, durationSeconds, units, lane] = parsed.data;
    const previous = actions.at(-1);
    if (previous && arrivalSeconds < previous.arrivalSeconds) throw new Error(`${where}: arrivals must be sorted`);
    if (lane !== undefined) {
      const freeAt = laneFreeAt.get(lane) ?? 0;
      if (arrivalSeconds < freeAt) throw new Error(`${where}: lane ${lane} still has an action in flight until ${freeAt} s (a lane runs one action at a time)`);
      laneFreeAt.set(lane, arrivalSeconds + durationSeconds);
    }
    actions.push(lane === undefined ? { arrivalSeconds, durationSeconds, units } : { arrivalSeconds, durationSeconds, units, lane });
  });
  const durationSeconds = whole.safeParse(meta.duration_s);
  if (!meta.name || !durationSeconds.success) throw new Error('trace: the "# name=" and "# duration_s=" lines are required');
  return { name: meta.name, description: meta.description ?? "", durationSeconds: durationSeconds.data, actions };
}
