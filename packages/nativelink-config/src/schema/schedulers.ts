/** Schedulers: `{name, simple: {...}}` (nativelink-config/src/schedulers.rs at v1.6.6). */
import { z } from "zod";
import { duration, integer, reference } from "../values/fields.js";
import { U32_MAX } from "../values/size.js";
import { oneKindOf, sortedRecord, strict } from "./strict.js";

/** How the scheduler matches a platform property of an action against a worker's. */
export const PropertyType = z.enum(["minimum", "exact", "priority", "ignore"]);
export type PropertyType = z.output<typeof PropertyType>;

export const AllocationStrategy = z.enum(["least_recently_used", "most_recently_used"]);

/** `worker_match_logging_interval_s` also takes -1 (disable), unlike other durations. */
const signedSeconds = z.union([z.number().int().min(-1), duration()], { error: "expected -1 or a duration" });

export const SimpleSpec = strict({
  /** Keys the scheduler matches strictly; unlisted keys match exactly when a worker declares them. */
  supported_platform_properties: sortedRecord(PropertyType).optional(),
  retain_completed_for_s: duration(U32_MAX).optional(),
  client_action_timeout_s: duration().optional(),
  /** Drop a worker that has been silent this long (default 5 s). */
  worker_timeout_s: duration().optional(),
  max_action_executing_timeout_s: duration().optional(),
  unacknowledged_kill_timeout_s: duration().optional(),
  max_job_retries: integer().optional(),
  allocation_strategy: AllocationStrategy.optional(),
  worker_match_logging_interval_s: signedSeconds.optional(),
  fallback_match_interval_s: signedSeconds.optional(),
});
export type SimpleSpec = z.output<typeof SimpleSpec>;

/** A top-level scheduler. Only `simple` is modelled. */
export type NamedScheduler = { name: string; simple: SimpleSpec };
export const NamedScheduler: z.ZodType<NamedScheduler, unknown> = oneKindOf<NamedScheduler>(
  "scheduler",
  { simple: SimpleSpec },
  { name: reference("scheduler") },
);
