import * as z from "zod/mini";
import { defaultPolicySettings, defaultPollIntervalSeconds, type CapacityPolicySettings } from "../policy/capacity-policy.js";
import type { Architecture } from "../policy/fleets.js";
import { parseDemandSplit, type DemandSplit } from "./demand.js";
import { describeIssue } from "./issues.js";

export type ScalingMode = "set-capacity" | "metrics-only";

/** What the handler needs to know, read once from the Lambda's environment at start-up. */
export interface HandlerConfig {
  readonly deploymentName: string;
  readonly feedUrl: string;
  /** Auto Scaling group name per configured fleet (at least one). */
  readonly groupNames: Readonly<Partial<Record<Architecture, string>>>;
  /** `set-capacity`: SetDesiredCapacity on change; `metrics-only`: publish, and alarms with step policies act. */
  readonly mode: ScalingMode;
  /** Seconds between polls within one invocation; 60 / this polls per invocation. */
  readonly pollIntervalSeconds: number;
  readonly policy: CapacityPolicySettings;
  readonly demandSplit: DemandSplit;
  readonly platformLabel: string;
  readonly feedTimeoutMs: number;
  readonly feedAttempts: number;
  readonly maxPlausibleCount: number;
}

/** Poll intervals that divide the one-minute schedule. */
export const pollIntervals = [10, 12, 15, 20, 30, 60] as const;

const numberText = (fallback: number, min: number, max: number, integer: boolean) =>
  z.pipe(
    z.optional(z.string()),
    z.transform((value: string | undefined, context): number => {
      const text = (value ?? "").trim();
      const parsed = text === "" ? fallback : Number(text);
      if (!Number.isFinite(parsed) || (integer && !Number.isInteger(parsed)) || parsed < min || parsed > max) {
        context.issues.push({ code: "custom", message: `is "${text}": expected ${integer ? "a whole number" : "a number"} from ${min} to ${max}`, input: value });
        return z.NEVER;
      }
      return parsed;
    }),
  );
const optionalGroup = z.optional(z.string().check(z.trim(), z.minLength(1, "is empty"), z.maxLength(255, "is longer than 255 characters")));

const environmentSchema = z.object({
  DEPLOYMENT_NAME: z.string({ error: "is missing: set it to the deployment's name" }).check(z.regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, "is not a deployment name (lower-case letters, digits, hyphens)")),
  FEED_URL: z.string({ error: "is missing: set it to the collector's page, e.g. http://scheduler.internal.example.com:9464/metrics" }).check(z.regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, "is not an http:// or https:// URL")),
  X86_64_GROUP_NAME: optionalGroup,
  ARM64_GROUP_NAME: optionalGroup,
  MODE: z._default(z.enum(["set-capacity", "metrics-only"], { error: 'is not "set-capacity" or "metrics-only"' }), "set-capacity"),
  POLL_INTERVAL_SECONDS: z.pipe(
    numberText(defaultPollIntervalSeconds, 10, 60, true),
    z.number().check(z.refine((value) => (pollIntervals as readonly number[]).includes(value), `must divide the minute: one of ${pollIntervals.join(", ")}`)),
  ),
  SCALE_IN_AFTER_SECONDS: numberText(defaultPolicySettings.scaleInAfterSeconds, 60, 86_400, true),
  UNITS_PER_ACTION: numberText(defaultPolicySettings.unitsPerAction, 0.01, 1024, false),
  DEMAND_SPLIT: z.optional(z.string()),
  PLATFORM_LABEL: z._default(z.string().check(z.regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "is not a Prometheus label name")), "cpu_arch"),
  FEED_TIMEOUT_MS: numberText(2000, 100, 10_000, true),
  FEED_ATTEMPTS: numberText(3, 1, 5, true),
  MAX_PLAUSIBLE_COUNT: numberText(100_000, 1, 10_000_000, true),
});

/** Validates the environment; the error lists every missing or malformed variable with what to set. */
export function loadConfig(environment: Record<string, string | undefined>): HandlerConfig {
  const parsed = environmentSchema.safeParse(environment, { error: describeIssue });
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
  let demandSplit: DemandSplit | undefined;
  if (parsed.success) {
    const data = parsed.data;
    if (!data.X86_64_GROUP_NAME && !data.ARM64_GROUP_NAME) problems.push("X86_64_GROUP_NAME and ARM64_GROUP_NAME are both missing: set at least one worker group name");
    try {
      demandSplit = parseDemandSplit(data.DEMAND_SPLIT ?? `preferred:${data.X86_64_GROUP_NAME ? "x86_64" : "arm64"}`);
    } catch (error) {
      problems.push(`DEMAND_SPLIT is ${(error as Error).message}`);
    }
  }
  if (!parsed.success || !demandSplit || problems.length > 0) throw new Error(`Invalid autoscaler configuration in the environment:\n- ${problems.join("\n- ")}`);
  const data = parsed.data;
  return {
    deploymentName: data.DEPLOYMENT_NAME,
    feedUrl: data.FEED_URL,
    groupNames: { ...(data.X86_64_GROUP_NAME ? { x86_64: data.X86_64_GROUP_NAME } : {}), ...(data.ARM64_GROUP_NAME ? { arm64: data.ARM64_GROUP_NAME } : {}) },
    mode: data.MODE,
    pollIntervalSeconds: data.POLL_INTERVAL_SECONDS,
    policy: { scaleInAfterSeconds: data.SCALE_IN_AFTER_SECONDS, unitsPerAction: data.UNITS_PER_ACTION },
    demandSplit,
    platformLabel: data.PLATFORM_LABEL,
    feedTimeoutMs: data.FEED_TIMEOUT_MS,
    feedAttempts: data.FEED_ATTEMPTS,
    maxPlausibleCount: data.MAX_PLAUSIBLE_COUNT,
  };
}
