/** One structured log entry; CloudWatch Logs Insights can query every field. */
export interface LogEntry {
  readonly level: "info" | "warn" | "error";
  readonly message: string;
  readonly [field: string]: unknown;
}

/**
 * One JSON object per line on stdout. Not console.log: in Lambda's text log format that prefixes a timestamp,
 * request id and level, which would make the line no longer JSON.
 */
export function logJson(entry: LogEntry): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
}
