import * as z from "zod/mini";
import type { AwsClients } from "./aws.js";
import type { HandlerConfig } from "./config.js";
import { describeIssue, formatIssues } from "@nativelink-aws/conventions/lambda-handler";
import { logJson, type LogEntry } from "@nativelink-aws/conventions/lambda-handler";
import { createPoll, type PollResult } from "./poll.js";

/** What one invocation did: one result per poll (scheduled, or on a feed change). Also the function's return value. */
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

/**
 * Polls `60 / pollIntervalSeconds` times, evenly spaced within the minute between two scheduled invocations, and
 * between polls looks at the feed every `feedCheckSeconds`: when the page changed (the scheduler exported), it
 * decides at once instead of at the next poll.
 */
export function createHandler(dependencies: HandlerDependencies): AutoscalerHandler {
  const log = dependencies.log ?? logJson;
  const now = dependencies.now ?? Date.now;
  const sleep = dependencies.sleep ?? ((milliseconds) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds)));
  const poller = createPoll({ config: dependencies.config, clients: dependencies.clients, log, now });
  const { pollIntervalSeconds, feedCheckSeconds } = dependencies.config;
  const ticksPerInvocation = Math.max(1, Math.round(60 / feedCheckSeconds));

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
    for (let index = 0; index < ticksPerInvocation; index += 1) {
      const offsetSeconds = index * feedCheckSeconds;
      const scheduled = offsetSeconds % pollIntervalSeconds === 0;
      const due = startedAt + offsetSeconds * 1000;
      const remaining = context?.getRemainingTimeInMillis?.() ?? Infinity;
      if (index > 0 && remaining - Math.max(0, due - now()) < minimumRemainingMs) {
        // Checks near the end are skipped quietly; a skipped scheduled poll is worth a warning.
        const skippedPolls = 60 / pollIntervalSeconds - Math.ceil(offsetSeconds / pollIntervalSeconds);
        if (skippedPolls > 0)
          log({ level: "warn", message: "skipping the remaining polls: too little time left", requestId, remainingMs: remaining, skippedPolls });
        break;
      }
      if (due > now()) await sleep(due - now());
      if (scheduled) polls.push(await poller.poll(requestId));
      else {
        const result = await poller.pollIfChanged(requestId);
        if (result) polls.push(result);
      }
    }
    return { polls };
  };
}
