import { DEPLOYMENT_NAME_PATTERN, DEPLOYMENT_NAME_RULE } from "@nativelink-aws/conventions";
import * as z from "zod/mini";
import { defaultFeedCheckSeconds, defaultPollIntervalSeconds, type CapacityPolicySettings } from "../policy/capacity-policy.js";
import type { Architecture } from "../policy/fleets.js";
import { expectation, policySettingNames, policySettingRules, resolvePolicySettings } from "../policy/settings.js";
import { parseDemandSplit, type DemandSplit } from "./demand.js";
import { describeIssue } from "@nativelink-aws/conventions/lambda-handler";

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
  /** Seconds between looks at the feed; a changed page is decided on at once. Divides pollIntervalSeconds. */
  readonly feedCheckSeconds: number;
  readonly policy: CapacityPolicySettings;
  readonly demandSplit: DemandSplit;
  readonly platformLabel: string;
  readonly feedTimeoutMs: number;
  readonly feedAttempts: number;
  readonly maxPlausibleCount: number;
}

/** Poll intervals that divide the one-minute schedule. */
export const pollIntervals = [10, 12, 15, 20, 30, 60] as const;

/** Feed check intervals: they divide the minute; one must also divide the poll interval. */
export const feedCheckIntervals = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60] as const;

/**
 * The feed check interval when none is set: the poll interval in metrics-only mode (no checks between polls), else
 * the largest interval up to `defaultFeedCheckSeconds` that divides the poll interval (5 s for the default 20 s).
 */
export function defaultFeedCheck(pollIntervalSeconds: number, mode: ScalingMode): number {
  if (mode === "metrics-only") return pollIntervalSeconds;
  return Math.max(...feedCheckIntervals.filter((value) => value <= defaultFeedCheckSeconds && pollIntervalSeconds % value === 0));
}

/**
 * The feed check's rules against the poll interval and mode, shared by the environment and the construct's props;
 * each message completes "feedCheckSeconds ..." (the policy settings' rules: policy/settings.ts).
 */
export function policyProblems(values: { pollIntervalSeconds: number; feedCheckSeconds: number; mode: ScalingMode }): {
  setting: "feedCheckSeconds";
  message: string;
}[] {
  const problems: { setting: "feedCheckSeconds"; message: string }[] = [];
  if (values.pollIntervalSeconds % values.feedCheckSeconds !== 0)
    problems.push({ setting: "feedCheckSeconds", message: `must divide the poll interval (${values.pollIntervalSeconds}s)` });
  else if (values.mode === "metrics-only" && values.feedCheckSeconds !== values.pollIntervalSeconds)
    problems.push({
      setting: "feedCheckSeconds",
      message: `must equal the poll interval (${values.pollIntervalSeconds}s) in metrics-only mode: its alarms read one datapoint a minute`,
    });
  return problems;
}

const numberText = (fallback: number, min: number, max: number, integer: boolean) =>
  z.pipe(
    z.optional(z.string()),
    z.transform((value: string | undefined, context): number => {
      const text = (value ?? "").trim();
      const parsed = text === "" ? fallback : Number(text);
      if (!Number.isFinite(parsed) || (integer && !Number.isInteger(parsed)) || parsed < min || parsed > max) {
        context.issues.push({
          code: "custom",
          message: `is "${text}": expected ${integer ? "a whole number" : "a number"} from ${min} to ${max}`,
          input: value,
        });
        return z.NEVER;
      }
      return parsed;
    }),
  );
const optionalGroup = z.optional(z.string().check(z.trim(), z.minLength(1, "is empty"), z.maxLength(255, "is longer than 255 characters")));

const environmentSchema = z.object({
  DEPLOYMENT_NAME: z
    .string({ error: "is missing: set it to the deployment's name" })
    .check(z.regex(DEPLOYMENT_NAME_PATTERN, `is not a deployment name (${DEPLOYMENT_NAME_RULE})`)),
  FEED_URL: z
    .string({ error: "is missing: set it to the collector's page, e.g. http://scheduler.internal.example.com:9464/metrics" })
    .check(z.regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, "is not an http:// or https:// URL")),
  X86_64_GROUP_NAME: optionalGroup,
  ARM64_GROUP_NAME: optionalGroup,
  MODE: z._default(z.enum(["set-capacity", "metrics-only"], { error: 'is not "set-capacity" or "metrics-only"' }), "set-capacity"),
  POLL_INTERVAL_SECONDS: z.pipe(
    numberText(defaultPollIntervalSeconds, 10, 60, true),
    z.number().check(z.refine((value) => (pollIntervals as readonly number[]).includes(value), `must divide the minute: one of ${pollIntervals.join(", ")}`)),
  ),
  // Unset: see defaultFeedCheck (it depends on the mode and the poll interval).
  FEED_CHECK_SECONDS: z.pipe(
    numberText(0, 0, 60, true),
    z
      .number()
      .check(
        z.refine(
          (value) => value === 0 || (feedCheckIntervals as readonly number[]).includes(value),
          `must divide the minute: one of ${feedCheckIntervals.join(", ")}`,
        ),
      ),
  ),
  // The policy's settings are checked by resolvePolicySettings (their rules are the construct's too).
  ...Object.fromEntries(policySettingNames.map((setting) => [policySettingRules[setting].environment, z.optional(z.string())])),
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
  let feedCheckSeconds = 0;
  const policy = policyFromEnvironment(environment);
  problems.push(...policy.problems);
  if (parsed.success) {
    const data = parsed.data;
    feedCheckSeconds = data.FEED_CHECK_SECONDS === 0 ? defaultFeedCheck(data.POLL_INTERVAL_SECONDS, data.MODE) : data.FEED_CHECK_SECONDS;
    for (const problem of policyProblems({ pollIntervalSeconds: data.POLL_INTERVAL_SECONDS, feedCheckSeconds, mode: data.MODE })) {
      problems.push(`FEED_CHECK_SECONDS ${problem.message}`);
    }
    if (!data.X86_64_GROUP_NAME && !data.ARM64_GROUP_NAME)
      problems.push("X86_64_GROUP_NAME and ARM64_GROUP_NAME are both missing: set at least one worker group name");
    try {
      demandSplit = parseDemandSplit(data.DEMAND_SPLIT ?? `preferred:${data.X86_64_GROUP_NAME ? "x86_64" : "arm64"}`);
    } catch (error) {
      problems.push(`DEMAND_SPLIT is ${(error as Error).message}`);
    }
  }
  if (!parsed.success || !demandSplit || problems.length > 0)
    throw new Error(`Invalid autoscaler configuration in the environment:\n- ${problems.join("\n- ")}`);
  const data = parsed.data;
  return {
    deploymentName: data.DEPLOYMENT_NAME,
    feedUrl: data.FEED_URL,
    groupNames: { ...(data.X86_64_GROUP_NAME ? { x86_64: data.X86_64_GROUP_NAME } : {}), ...(data.ARM64_GROUP_NAME ? { arm64: data.ARM64_GROUP_NAME } : {}) },
    mode: data.MODE,
    pollIntervalSeconds: data.POLL_INTERVAL_SECONDS,
    feedCheckSeconds,
    policy: policy.settings,
    demandSplit,
    platformLabel: data.PLATFORM_LABEL,
    feedTimeoutMs: data.FEED_TIMEOUT_MS,
    feedAttempts: data.FEED_ATTEMPTS,
    maxPlausibleCount: data.MAX_PLAUSIBLE_COUNT,
  };
}

/** The policy settings from their variables: text to number, then the rules the construct's props follow too. */
function policyFromEnvironment(environment: Record<string, string | undefined>): { settings: CapacityPolicySettings; problems: string[] } {
  const texts = new Map(policySettingNames.map((setting) => [setting, (environment[policySettingRules[setting].environment] ?? "").trim()]));
  const values = Object.fromEntries([...texts].map(([setting, text]) => [setting, text === "" ? undefined : Number(text)]));
  const { settings, problems } = resolvePolicySettings(values, (setting) => policySettingRules[setting].environment);
  return {
    settings,
    problems: problems.map(({ setting, message }) => {
      const rule = policySettingRules[setting];
      const range = message.startsWith("must be ") ? `is "${texts.get(setting)}": expected ${expectation(rule)}` : message;
      return `${rule.environment} ${range}`;
    }),
  };
}
