import { Token } from "cdktf";
import * as z from "zod";
import { NativeLinkPropError, type PropProblem } from "@nativelink-aws/conventions";
import { lambdaConstructPropSchemas, propErrorFromIssues, wholeBetween } from "@nativelink-aws/conventions/lambda-construct";
import { defaultFeedCheck, feedCheckIntervals, policyProblems, pollIntervals } from "../handler/config.js";
import { formatDemandSplit, parseDemandSplit, type DemandSplit } from "../handler/demand.js";
import { defaultPollIntervalSeconds, type CapacityPolicySettings } from "../policy/capacity-policy.js";
import { ARCHITECTURES } from "../policy/fleets.js";
import { policySettingNames, resolvePolicySettings } from "../policy/settings.js";
import type { WorkerAutoscalerProps } from "./props.js";

/** A string that may hold Terraform references (tokens): checked only when it is a literal. */
const literalOrToken = (pattern: RegExp, fix: string) => z.string(fix).refine((value) => Token.isUnresolved(value) || pattern.test(value), fix);
const groupRef = z.object({
  groupName: literalOrToken(/^\S.{0,254}$/, "needs groupName, the group's name (pass the group's name attribute)"),
  groupArn: literalOrToken(
    /^arn:[a-z-]+:autoscaling:[a-z0-9-]+:\d{12}:autoScalingGroup:.+$/,
    "needs groupArn, the group's ARN (pass the group's arn attribute)",
  ),
});

// Each message completes 'WorkerAutoscaler: invalid prop "<prop>" (<value>): it ...' with the fix.
const propsSchema = z.object({
  ...lambdaConstructPropSchemas,
  vpcId: literalOrToken(/^vpc-[0-9a-f]{8,17}$/, "must be a VPC id such as vpc-0123456789abcdef0; pass the network's vpcId"),
  vpcCidrBlock: literalOrToken(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "must be the VPC's IPv4 CIDR such as 10.0.0.0/16; pass the network's vpcCidrBlock"),
  subnetIds: z
    .array(literalOrToken(/^subnet-[0-9a-f]{8,17}$/, "must hold subnet ids such as subnet-0123456789abcdef0"), "must be a list of private subnet ids")
    .min(1, "must list at least one private subnet"),
  schedulerSecurityGroupId: literalOrToken(
    /^sg-[0-9a-f]{8,17}$/,
    "must be a security group id such as sg-0123456789abcdef0; pass the scheduler's security group id",
  ),
  feedUrl: z
    .string("must be the collector's URL")
    .regex(/^https?:\/\/\S+$/, 'must be an http:// URL such as "http://scheduler.internal.example.com:9464/metrics"'),
  metricsPort: wholeBetween(1024, 65_535, "must be a port from 1024 to 65535 (ami-builder's metricsPort)").default(9464),
  fleets: z
    .object({ x86_64: groupRef.optional(), arm64: groupRef.optional() }, "must name at least one worker group: { x86_64: { groupName, groupArn } }")
    .refine((fleets) => fleets.x86_64 || fleets.arm64, "must name at least one worker group: { x86_64: { groupName, groupArn } }"),
  mode: z.enum(["set-capacity", "metrics-only"], 'must be "set-capacity" or "metrics-only"').default("set-capacity"),
  pollIntervalSeconds: z
    .number()
    .refine((value) => (pollIntervals as readonly number[]).includes(value), `must divide the minute: one of ${pollIntervals.join(", ")}`)
    .optional(),
  feedCheckSeconds: z
    .number()
    .refine((value) => (feedCheckIntervals as readonly number[]).includes(value), `must divide the minute: one of ${feedCheckIntervals.join(", ")}`)
    .optional(),
  demandSplit: z
    .custom<DemandSplit>((value) => {
      try {
        return parseDemandSplit(formatDemandSplit(value as DemandSplit)) !== undefined;
      } catch {
        return false;
      }
    }, 'must be { kind: "preferred", fleet }, { kind: "proportional" } or { kind: "shares", shares } with shares summing to 1')
    .optional(),
  platformLabel: z
    .string()
    .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "must be a Prometheus label name such as cpu_arch")
    .default("cpu_arch"),
  drainTimeoutSeconds: wholeBetween(30, 7200, "must be a whole number of seconds from 30 to 7200 (the lifecycle hook's limits)").default(3600),
  maxActionTimeoutSeconds: wholeBetween(1, 7200, "must be a whole number of seconds from 1 to 7200").default(1200),
  memorySizeMb: wholeBetween(128, 10_240, "must be a whole number of MB from 128 to 10240").default(128),
});

export type ResolvedProps = Omit<z.output<typeof propsSchema>, "pollIntervalSeconds" | "feedCheckSeconds" | "demandSplit"> &
  CapacityPolicySettings & {
    readonly pollIntervalSeconds: number;
    readonly feedCheckSeconds: number;
    readonly demandSplit: DemandSplit;
  };

const failure = (prop: string, value: unknown, fix: string): PropProblem => ({ prop, value, problem: `${JSON.stringify(value)} is refused`, fix: `it ${fix}` });

/** Applies the defaults and throws a NativeLinkPropError naming every invalid prop, its value and the fix. */
export function resolveProps(constructPath: string, props: WorkerAutoscalerProps): ResolvedProps {
  const parsed = propsSchema.safeParse(props);
  if (!parsed.success) throw propErrorFromIssues(constructPath, props, parsed.error.issues);
  const p = parsed.data;
  const raw = props as unknown as Record<string, unknown>;
  // The policy's settings follow the rules the Lambda's environment does (policy/settings.ts).
  const policy = resolvePolicySettings(Object.fromEntries(policySettingNames.map((setting) => [setting, raw[setting]])));
  const problems: PropProblem[] = policy.problems.map((problem) => failure(problem.setting, problem.value, problem.message));
  const configured = ARCHITECTURES.filter((fleet) => p.fleets[fleet] !== undefined);
  const demandSplit: DemandSplit = p.demandSplit ?? { kind: "preferred", fleet: configured[0]! };
  if (demandSplit.kind === "preferred" && !configured.includes(demandSplit.fleet))
    problems.push(failure("demandSplit", demandSplit, `prefers ${demandSplit.fleet}, which is not in fleets; prefer ${configured.join(" or ")}`));
  if (demandSplit.kind === "shares" && Object.keys(demandSplit.shares).some((fleet) => !configured.includes(fleet as never)))
    problems.push(failure("demandSplit", demandSplit, `gives a share to a fleet that is not in fleets (${configured.join(", ")})`));
  if (p.drainTimeoutSeconds < p.maxActionTimeoutSeconds) {
    problems.push(
      failure(
        "drainTimeoutSeconds",
        p.drainTimeoutSeconds,
        `is shorter than maxActionTimeoutSeconds (${p.maxActionTimeoutSeconds}): ` +
          `a draining worker would be stopped mid-action; make it at least ${p.maxActionTimeoutSeconds}`,
      ),
    );
  }
  const pollIntervalSeconds = p.pollIntervalSeconds ?? (p.mode === "metrics-only" ? 60 : defaultPollIntervalSeconds);
  if (p.mode === "metrics-only" && pollIntervalSeconds !== 60)
    problems.push(failure("pollIntervalSeconds", pollIntervalSeconds, 'must be 60 in "metrics-only" mode: its alarms read one-minute datapoints'));
  const feedCheckSeconds = p.feedCheckSeconds ?? defaultFeedCheck(pollIntervalSeconds, p.mode);
  for (const problem of policyProblems({ pollIntervalSeconds, feedCheckSeconds, mode: p.mode }))
    problems.push(failure(problem.setting, feedCheckSeconds, problem.message));
  const port = /^https?:\/\/[^/]*:(\d+)(\/|$)/.exec(p.feedUrl)?.[1];
  if (port !== undefined && Number(port) !== p.metricsPort)
    problems.push(
      failure("feedUrl", p.feedUrl, `names port ${port}, but metricsPort is ${p.metricsPort}; make them agree (the security group rule opens metricsPort)`),
    );
  if (problems.length > 0) throw NativeLinkPropError.of(constructPath, problems as [PropProblem, ...PropProblem[]]);
  return { ...p, ...policy.settings, pollIntervalSeconds, feedCheckSeconds, demandSplit };
}
