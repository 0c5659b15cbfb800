import * as z from "zod/mini";
import type { AwsClients } from "./aws.js";
import type { HandlerConfig } from "./config.js";
import { describeIssue, formatIssues } from "./issues.js";
import { logJson, type LogEntry } from "./log.js";
import { createPoll, type PollResult } from "./poll.js";

/** What one invocation did: one result per poll. Also the function's return value. */
export interface InvocationResult {
  readonly polls: readonly PollResult[];
}

export interface HandlerDependencies {
  readonly config: HandlerConfig;
  readonly clients: AwsClients;
  /** Where structured logs go. @default one JSON line per entry on stdout */
  readonly log?: (entry: LogEntry) => void;
  /** Epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  readonly sleep?: (milliseconds: number) => Promise<void>;
}

/** The subset of the Lambda context this handler reads. */
export interface InvocationContext {
  readonly awsRequestId?: string;
  getRemainingTimeInMillis?(): number;
}

export type AutoscalerHandler = (event: unknown, context?: InvocationContext) => Promise<InvocationResult>;

/** The invocation is not one this function accepts; nothing was called. */
export class InvalidEventError extends Error {
  override readonly name = "InvalidEventError";
}

// EventBridge's schedule, or {} from a person or a test.
const eventSchema = z.union([z.object({ source: z.literal("aws.events"), "detail-type": z.literal("Scheduled Event") }), z.strictObject({})]);

/** A poll needs this much time left, or it is skipped (the next invocation comes within the minute). */
const minimumRemainingMs = 10_000;

/** Polls `60 / pollIntervalSeconds` times, evenly spaced within the minute between two scheduled invocations. */
export function createHandler(dependencies: HandlerDependencies): AutoscalerHandler {
  const log = dependencies.log ?? logJson;
  const now = dependencies.now ?? Date.now;
  const sleep = dependencies.sleep ?? ((milliseconds) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds)));
  const poll = createPoll({ config: dependencies.config, clients: dependencies.clients, log, now });
  const pollsPerInvocation = Math.max(1, Math.round(60 / dependencies.config.pollIntervalSeconds));

  return async (event, context) => {
    const requestId = context?.awsRequestId;
    const parsed = eventSchema.safeParse(event, { error: describeIssue });
    if (!parsed.success) {
      const error = new InvalidEventError(`Not an EventBridge Scheduled Event or {}: ${formatIssues(parsed.error.issues, "(event)").join("; ")}`);
      log({ level: "error", message: "rejected event; nothing called", requestId, error: error.message });
      throw error;
    }
    const startedAt = now();
    const polls: PollResult[] = [];
    for (let index = 0; index < pollsPerInvocation; index += 1) {
      const due = startedAt + index * dependencies.config.pollIntervalSeconds * 1000;
      const remaining = context?.getRemainingTimeInMillis?.() ?? Infinity;
      if (index > 0 && remaining - Math.max(0, due - now()) < minimumRemainingMs) {
        log({ level: "warn", message: "skipping the remaining polls: too little time left", requestId, remainingMs: remaining });
        break;
      }
      if (due > now()) await sleep(due - now());
      polls.push(await poll(requestId));
    }
    return { polls };
  };
}
