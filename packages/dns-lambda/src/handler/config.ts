import * as z from "zod/mini";
import { describeIssue } from "@nativelink-aws/conventions/lambda-handler";
import { normalizeRecordName } from "./record-name.js";

/** What the handler needs to know, read once from the Lambda's environment at start-up. */
export interface HandlerConfig {
  /** The scheduler's Auto Scaling group. */
  readonly schedulerAutoScalingGroupName: string;
  /** The private hosted zone that holds the record, without the `/hostedzone/` prefix. */
  readonly hostedZoneId: string;
  /** Fully qualified, lower case, without the trailing dot, e.g. `scheduler.internal.example.com`. */
  readonly recordName: string;
  readonly recordTtlSeconds: number;
}

export const defaultRecordTtlSeconds = 30;

const withoutPrefix = z.transform((value: string) => value.trim().replace(/^\/hostedzone\//, ""));
const ttlText = z.transform((value: string | undefined, context): number => {
  const text = (value ?? "").trim();
  if (text === "") return defaultRecordTtlSeconds;
  if (!/^\d+$/.test(text)) {
    context.issues.push({ code: "custom", message: `is "${text}", not a whole number of seconds`, input: value });
    return z.NEVER;
  }
  return Number(text);
});

// zod/mini, not zod: the handler is bundled, and mini's functions tree-shake (~20 KB instead of ~90 KB).
const environmentSchema = z.object({
  SCHEDULER_ASG_NAME: z
    .string({ error: "is missing: set it to the scheduler's Auto Scaling group name" })
    .check(
      z.trim(),
      z.minLength(1, "is empty: set it to the scheduler's Auto Scaling group name"),
      z.maxLength(255, "is longer than 255 characters, the limit for an Auto Scaling group name"),
    ),
  HOSTED_ZONE_ID: z.pipe(
    z.pipe(z.string({ error: "is missing: set it to the private hosted zone's id, e.g. Z0123456789ABCDEFGHIJ" }), withoutPrefix),
    z.string().check(z.regex(/^[A-Z0-9]{1,32}$/, "is not a hosted zone id: expected upper-case letters and digits, e.g. Z0123456789ABCDEFGHIJ")),
  ),
  RECORD_NAME: z.pipe(
    z.pipe(
      z.string({ error: "is missing: set it to the record's fully qualified name, e.g. scheduler.internal.example.com" }),
      z.transform(normalizeRecordName),
    ),
    z
      .string()
      .check(
        z.maxLength(253, "is longer than 253 characters, the limit for a DNS name"),
        z.regex(/^([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9-]{1,63}$/, "is not a fully qualified DNS name, e.g. scheduler.internal.example.com"),
      ),
  ),
  RECORD_TTL: z.pipe(
    z.pipe(z.optional(z.string()), ttlText),
    z.number().check(z.gte(1, "must be at least 1 second"), z.lte(86_400, "must be at most 86400 seconds (one day); workers must see a replacement soon")),
  ),
});

/** Validates the environment; the error lists every missing or malformed variable with what to set. */
export function loadConfig(environment: Record<string, string | undefined>): HandlerConfig {
  const parsed = environmentSchema.safeParse(environment, { error: describeIssue });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
    throw new Error(`Invalid dns-lambda configuration in the environment:\n- ${problems.join("\n- ")}`);
  }
  return {
    schedulerAutoScalingGroupName: parsed.data.SCHEDULER_ASG_NAME,
    hostedZoneId: parsed.data.HOSTED_ZONE_ID,
    recordName: parsed.data.RECORD_NAME,
    recordTtlSeconds: parsed.data.RECORD_TTL,
  };
}
