import { lambdaConstructPropSchemas, propErrorFromIssues, wholeBetween } from "@nativelink-aws/conventions/lambda-construct";
import { Token } from "cdktf";
import * as z from "zod";

/** Props of {@link SchedulerDnsRecord}. */
export interface SchedulerDnsRecordProps {
  /**
   * The deployment's name. Every physical name derives from it (`<name>-scheduler-dns`, its log group, role and
   * rules), so two deployments live side by side in one account and region. Lower-case letters, digits and hyphens.
   * @default "nativelink"
   */
  readonly name?: string;
  /** Id of the PRIVATE hosted zone that holds the record (the cluster's `internal.DOMAIN` zone), e.g. `Z0123456789ABCDEFGHIJ`. */
  readonly hostedZoneId: string;
  /** Fully qualified name of the A record that workers dial, e.g. `scheduler.internal.example.com`. */
  readonly recordName: string;
  /**
   * Name of the scheduler's Auto Scaling group. Pass the group resource's `name` attribute (not a copy of the
   * string) so Terraform creates the group, and waits for its capacity, before the deploy-time sync runs.
   */
  readonly schedulerAutoScalingGroupName: string;
  /**
   * TTL of the record. Short, so workers follow a replaced scheduler quickly.
   * @default 30
   */
  readonly recordTtlSeconds?: number;
  /**
   * Retention of the function's log group, one of CloudWatch's allowed values (1, 3, 5, 7, 14, 30, 60, 90, …).
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * Schedule of the safety-net sweep that re-checks the record even when no event arrives: an EventBridge
   * `rate(...)` or `cron(...)` expression.
   * @default "rate(5 minutes)"
   */
  readonly sweepRate?: string;
  /**
   * Invoke the function once at deploy time (and again whenever its code or configuration changes), so the record
   * exists before the first worker boots.
   * @default true
   */
  readonly syncOnDeploy?: boolean;
  /**
   * Memory of the function in MB; Lambda gives CPU in proportion, which shortens cold starts.
   * @default 256
   */
  readonly memorySizeMb?: number;
  /**
   * Timeout of one invocation in seconds (three describe calls and at most one change, with retries).
   * @default 30
   */
  readonly timeoutSeconds?: number;
  /**
   * Path of the handler's zip. For tests or a custom build only.
   * @default this package's `dist/lambda/handler.zip`
   */
  readonly bundlePath?: string;
  /**
   * Tags added to every taggable resource, after `nativelink:deployment = <name>`.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Props with defaults applied, checked. */
export type ResolvedSchedulerDnsRecordProps = Required<Omit<SchedulerDnsRecordProps, "bundlePath">> & { readonly bundlePath?: string | undefined };

/** A string that may be a Terraform reference (a token), checked only when it is a literal. */
const literalOrToken = (pattern: RegExp, fix: string) => z.string(fix).refine((value) => Token.isUnresolved(value) || pattern.test(value), fix);

// Each message completes "SchedulerDnsRecord: invalid prop "<prop>" (<value>): it ..." with the fix.
const propsSchema = z.object({
  ...lambdaConstructPropSchemas,
  hostedZoneId: literalOrToken(
    /^[A-Z0-9]{1,32}$/,
    'must be a hosted zone id such as "Z0123456789ABCDEFGHIJ" (no "/hostedzone/" prefix); pass the private zone\'s zoneId attribute',
  ),
  recordName: literalOrToken(
    /^([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9-]{1,63}\.?$/i,
    'must be a fully qualified DNS name such as "scheduler.internal.example.com"',
  ),
  schedulerAutoScalingGroupName: literalOrToken(
    /^\S.{0,254}$/,
    "must be the scheduler Auto Scaling group's name (1-255 characters); pass the group's name attribute",
  ),
  recordTtlSeconds: wholeBetween(
    1,
    86_400,
    "must be a whole number of seconds from 1 to 86400; keep it short (default 30) so workers follow a replaced scheduler",
  ).default(30),
  sweepRate: z
    .string()
    .regex(
      /^(rate\(\s*(1\s+minute|[1-9]\d*\s+minutes|1\s+hour|[1-9]\d*\s+hours|1\s+day|[1-9]\d*\s+days)\s*\)|cron\(.+\))$/,
      'must be an EventBridge schedule expression such as "rate(5 minutes)", "rate(1 minute)" or "cron(0/5 * * * ? *)"',
    )
    .default("rate(5 minutes)"),
  syncOnDeploy: z.boolean("must be true or false").default(true),
  memorySizeMb: wholeBetween(128, 10_240, "must be a whole number of MB from 128 to 10240, e.g. 256").default(256),
  timeoutSeconds: wholeBetween(3, 900, "must be a whole number of seconds from 3 to 900, e.g. 30").default(30),
});

/** Applies the defaults and throws a NativeLinkPropError naming every invalid prop, its value and the fix. */
export function resolveProps(constructPath: string, props: SchedulerDnsRecordProps): ResolvedSchedulerDnsRecordProps {
  const parsed = propsSchema.safeParse(props);
  if (parsed.success) return parsed.data;
  throw propErrorFromIssues(constructPath, props, parsed.error.issues);
}
