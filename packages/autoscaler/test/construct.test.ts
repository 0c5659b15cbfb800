import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { NativeLinkChecks } from "@nativelink-aws/constructs";
import { Aspects, TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { defaultBundlePath } from "../src/construct/bundle.js";
import type { WorkerAutoscalerProps } from "../src/construct/props.js";
import { WorkerAutoscaler } from "../src/construct/worker-autoscaler.js";

type Resources = Record<string, Record<string, Record<string, unknown>>>;
const arn = (fleet: string) =>
  `arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:0a1b2c3d-0000-4000-8000-000000000000:autoScalingGroupName/nativelink-workers-${fleet}`;
const required: WorkerAutoscalerProps = {
  vpcId: "vpc-0123456789abcdef0",
  vpcCidrBlock: "10.0.0.0/16",
  subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
  schedulerSecurityGroupId: "sg-0123456789abcdef0",
  feedUrl: "http://scheduler.internal.example.com:9464/metrics",
  fleets: {
    x86_64: { groupName: "nativelink-workers-x86_64", groupArn: arn("x86_64") },
    arm64: { groupName: "nativelink-workers-arm64", groupArn: arn("arm64") },
  },
};

function synth(props: WorkerAutoscalerProps = required) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  const checks = new NativeLinkChecks();
  Aspects.of(stack).add(checks);
  new WorkerAutoscaler(stack, "autoscaler", props);
  const synthesized = JSON.parse(Testing.synth(stack)) as { resource: Resources; data: Resources };
  return { resource: synthesized.resource, data: synthesized.data, checks };
}
const all = (resources: Resources, type: string) => Object.values(resources[type] ?? {});
/** Synthesized JSON orders resources by id; compare them in the order of a field. */
const sortedBy = (items: Record<string, unknown>[], key: string) =>
  [...items].sort((a, b) => String(a[key]).localeCompare(String(b[key]), "en", { numeric: true }));

describe("WorkerAutoscaler", () => {
  const { resource, checks } = synth();

  it("passes the NativeLink security rule pack with no error", () => {
    expect(checks.findings.filter((finding) => finding.severity === "error")).toEqual([]);
  });

  it("deploys the bundle on Node.js 22 in the VPC's private subnets with its own security group and a log group", () => {
    const [fn] = all(resource, "aws_lambda_function");
    expect(fn).toMatchObject({
      function_name: "nativelink-autoscaler",
      runtime: "nodejs22.x",
      handler: "index.handler",
      timeout: 57,
      memory_size: 128,
      reserved_concurrent_executions: 1,
      source_code_hash: createHash("sha256").update(readFileSync(defaultBundlePath)).digest("base64"),
      vpc_config: { subnet_ids: required.subnetIds, security_group_ids: [expect.stringMatching(/^\$\{aws_security_group\..+\.id\}$/)] },
      environment: {
        variables: {
          DEPLOYMENT_NAME: "nativelink",
          FEED_URL: required.feedUrl,
          MODE: "set-capacity",
          POLL_INTERVAL_SECONDS: "20",
          FEED_CHECK_SECONDS: "5",
          SCALE_IN_AFTER_SECONDS: "180",
          QUICK_SCALE_IN_AFTER_SECONDS: "60",
          QUICK_SCALE_IN_FRACTION: "0.5",
          BOOT_SECONDS: "120",
          RATE_WINDOW_SECONDS: "120",
          UNITS_PER_ACTION: "1",
          DEMAND_SPLIT: "preferred:x86_64",
          PLATFORM_LABEL: "cpu_arch",
          X86_64_GROUP_NAME: "nativelink-workers-x86_64",
          ARM64_GROUP_NAME: "nativelink-workers-arm64",
        },
      },
    });
    expect(all(resource, "aws_cloudwatch_log_group")).toEqual([expect.objectContaining({ name: "/aws/lambda/nativelink-autoscaler", retention_in_days: 30 })]);
    expect(all(resource, "aws_lambda_function_event_invoke_config")).toEqual([
      expect.objectContaining({ maximum_retry_attempts: 0, maximum_event_age_in_seconds: 60 }),
    ]);
  });

  it("grants least privilege: metrics in the NativeLink namespace only, capacity on the worker groups only", () => {
    const policy = JSON.parse(String(all(resource, "aws_iam_role_policy")[0]!.policy)) as { Statement: { Sid: string }[] };
    const bySid = Object.fromEntries(policy.Statement.map((statement) => [statement.Sid, statement]));
    expect(Object.keys(bySid)).toEqual(["PublishNativeLinkMetrics", "ReadRequirementHistory", "DescribeWorkerGroups", "SetWorkerCapacity", "WriteOwnLogs"]);
    expect(bySid.PublishNativeLinkMetrics).toEqual({
      Sid: "PublishNativeLinkMetrics",
      Effect: "Allow",
      Action: ["cloudwatch:PutMetricData"],
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": ["NativeLink"] } },
    });
    expect(bySid.ReadRequirementHistory).toMatchObject({ Action: ["cloudwatch:GetMetricData"], Resource: "*" });
    expect(bySid.DescribeWorkerGroups).toMatchObject({ Action: ["autoscaling:DescribeAutoScalingGroups"], Resource: "*" });
    expect(bySid.SetWorkerCapacity).toMatchObject({ Action: ["autoscaling:SetDesiredCapacity"], Resource: [arn("x86_64"), arn("arm64")] });
    expect(bySid.WriteOwnLogs).toMatchObject({
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\..+\.arn\}:\*$/),
    });
    expect(all(resource, "aws_iam_role_policy_attachment")).toEqual([
      expect.objectContaining({
        policy_arn: expect.stringMatching(/^arn:\$\{data\.aws_partition\..+\.partition\}:iam::aws:policy\/service-role\/AWSLambdaVPCAccessExecutionRole$/),
      }),
    ]);
  });

  it("opens exactly: function → scheduler 9464, function → VPC 443, scheduler 9464 ← function; nothing else", () => {
    const group = Object.keys(resource.aws_security_group ?? {});
    expect(group).toHaveLength(1);
    const own = `\${aws_security_group.${group[0]}.id}`;
    expect(all(resource, "aws_security_group")[0]).toMatchObject({ name: "nativelink-autoscaler", vpc_id: required.vpcId });
    expect(all(resource, "aws_security_group")[0]!.ingress).toBeUndefined();
    const strip = (rule: Record<string, unknown>) => ({
      security_group_id: rule.security_group_id,
      ip_protocol: rule.ip_protocol,
      from_port: rule.from_port,
      to_port: rule.to_port,
      cidr_ipv4: rule.cidr_ipv4,
      referenced_security_group_id: rule.referenced_security_group_id,
    });
    expect(sortedBy(all(resource, "aws_vpc_security_group_egress_rule"), "from_port").map(strip)).toEqual([
      { security_group_id: own, ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "10.0.0.0/16", referenced_security_group_id: undefined },
      {
        security_group_id: own,
        ip_protocol: "tcp",
        from_port: 9464,
        to_port: 9464,
        cidr_ipv4: undefined,
        referenced_security_group_id: required.schedulerSecurityGroupId,
      },
    ]);
    expect(all(resource, "aws_vpc_security_group_ingress_rule").map(strip)).toEqual([
      {
        security_group_id: required.schedulerSecurityGroupId,
        ip_protocol: "tcp",
        from_port: 9464,
        to_port: 9464,
        cidr_ipv4: undefined,
        referenced_security_group_id: own,
      },
    ]);
  });

  it("puts the drain hook <name>-drain on every worker group, CONTINUE after 3600 s", () => {
    expect(sortedBy(all(resource, "aws_autoscaling_lifecycle_hook"), "autoscaling_group_name")).toEqual(
      ["arm64", "x86_64"].map((fleet) => ({
        name: "nativelink-drain",
        autoscaling_group_name: `nativelink-workers-${fleet}`,
        lifecycle_transition: "autoscaling:EC2_INSTANCE_TERMINATING",
        default_result: "CONTINUE",
        heartbeat_timeout: 3600,
      })),
    );
  });

  it("runs every minute from EventBridge, with permission for that rule only", () => {
    expect(all(resource, "aws_cloudwatch_event_rule")).toEqual([
      expect.objectContaining({ name: "nativelink-autoscaler", schedule_expression: "rate(1 minute)" }),
    ]);
    expect(all(resource, "aws_lambda_permission")).toEqual([
      expect.objectContaining({ principal: "events.amazonaws.com", source_arn: expect.stringMatching(/^\$\{aws_cloudwatch_event_rule\..+\.arn\}$/) }),
    ]);
    expect(all(resource, "aws_cloudwatch_event_target")).toHaveLength(1);
    expect(resource.aws_autoscaling_policy).toBeUndefined();
    expect(resource.aws_cloudwatch_metric_alarm).toBeUndefined();
  });
});

describe("WorkerAutoscaler in metrics-only mode", () => {
  const { resource, checks } = synth({ ...required, name: "ci", mode: "metrics-only", fleets: { arm64: required.fleets.arm64 }, drainTimeoutSeconds: 1800 });

  it("creates alarms on DesiredCapacity − CurrentCapacity and step policies, and no SetDesiredCapacity grant", () => {
    expect(checks.findings.filter((finding) => finding.severity === "error")).toEqual([]);
    const alarms = sortedBy(all(resource, "aws_cloudwatch_metric_alarm"), "alarm_name").reverse();
    expect(alarms.map((alarm) => [alarm.alarm_name, alarm.comparison_operator, alarm.threshold, alarm.evaluation_periods])).toEqual([
      ["ci-autoscaler-workers-arm64-scale-out", "GreaterThanThreshold", 0, 1],
      ["ci-autoscaler-workers-arm64-scale-in", "LessThanThreshold", 0, 1],
    ]);
    expect(alarms[0]!.metric_query).toEqual([
      {
        id: "wanted",
        metric: {
          namespace: "NativeLink",
          metric_name: "DesiredCapacity",
          dimensions: { Deployment: "ci", Fleet: "workers-arm64" },
          period: 60,
          stat: "Maximum",
        },
        return_data: false,
      },
      {
        id: "current",
        metric: {
          namespace: "NativeLink",
          metric_name: "CurrentCapacity",
          dimensions: { Deployment: "ci", Fleet: "workers-arm64" },
          period: 60,
          stat: "Maximum",
        },
        return_data: false,
      },
      { id: "gap", expression: "wanted - current", label: "desired minus current capacity (units)", return_data: true },
    ]);
    const policies = sortedBy(all(resource, "aws_autoscaling_policy"), "name").reverse();
    expect(policies.map((policy) => [policy.name, policy.policy_type, policy.adjustment_type, policy.autoscaling_group_name])).toEqual([
      ["ci-autoscaler-workers-arm64-scale-out", "StepScaling", "ChangeInCapacity", "nativelink-workers-arm64"],
      ["ci-autoscaler-workers-arm64-scale-in", "StepScaling", "ChangeInCapacity", "nativelink-workers-arm64"],
    ]);
    expect((policies[0]!.step_adjustment as unknown[]).slice(0, 3)).toEqual([
      { scaling_adjustment: 1, metric_interval_lower_bound: "0", metric_interval_upper_bound: "2" },
      { scaling_adjustment: 2, metric_interval_lower_bound: "2", metric_interval_upper_bound: "4" },
      { scaling_adjustment: 4, metric_interval_lower_bound: "4", metric_interval_upper_bound: "8" },
    ]);
    expect((policies[1]!.step_adjustment as unknown[]).at(-1)).toEqual({ scaling_adjustment: -256, metric_interval_upper_bound: "-256" });
    expect(alarms.map((alarm) => alarm.alarm_actions)).toEqual([[expect.stringMatching(/scale-out.*\.arn\}$/)], [expect.stringMatching(/scale-in.*\.arn\}$/)]]);
    const policy = String(all(resource, "aws_iam_role_policy")[0]!.policy);
    expect(policy).not.toContain("SetDesiredCapacity");
    expect(all(resource, "aws_lambda_function")[0]).toMatchObject({
      timeout: 30,
      environment: { variables: { MODE: "metrics-only", POLL_INTERVAL_SECONDS: "60", FEED_CHECK_SECONDS: "60", DEMAND_SPLIT: "preferred:arm64" } },
    });
    expect(all(resource, "aws_autoscaling_lifecycle_hook")).toEqual([expect.objectContaining({ name: "ci-drain", heartbeat_timeout: 1800 })]);
  });
});

describe("WorkerAutoscaler props", () => {
  const invalid: [Partial<WorkerAutoscalerProps>, RegExp][] = [
    [{ name: "Prod_1" }, /invalid prop 'name': "Prod_1" is refused\. Fix: it must be 2-20 lowercase letters/],
    [{ vpcId: "vpc" }, /invalid prop 'vpcId': "vpc" is refused\. Fix: it must be a VPC id/],
    [{ subnetIds: [] }, /invalid prop 'subnetIds': \[\] is refused\. Fix: it must list at least one private subnet/],
    [{ schedulerSecurityGroupId: "scheduler" }, /invalid prop 'schedulerSecurityGroupId'/],
    [{ feedUrl: "scheduler:9464" }, /invalid prop 'feedUrl': "scheduler:9464" is refused\. Fix: it must be an http:\/\/ URL/],
    [
      { feedUrl: "http://scheduler.internal.example.com:9100/metrics" },
      /invalid prop 'feedUrl': .*Fix: it names port 9100, but metricsPort is 9464; make them agree/,
    ],
    [{ fleets: {} }, /invalid prop 'fleets': \{\} is refused\. Fix: it must name at least one worker group/],
    [{ fleets: { x86_64: { groupName: "g", groupArn: "g" } } }, /invalid prop 'fleets': .* at fleets\.x86_64\.groupArn is refused\. Fix: it needs groupArn/],
    [{ pollIntervalSeconds: 25 }, /invalid prop 'pollIntervalSeconds': 25 is refused\. Fix: it must divide the minute/],
    [{ mode: "metrics-only", pollIntervalSeconds: 20 }, /invalid prop 'pollIntervalSeconds': 20 is refused\. Fix: it must be 60 in "metrics-only" mode/],
    [{ scaleInAfterSeconds: 10 }, /invalid prop 'scaleInAfterSeconds': 10 is refused\. Fix: it must be a whole number from 60 to 86400/],
    [
      { feedCheckSeconds: 7 },
      /invalid prop 'feedCheckSeconds': 7 is refused\. Fix: it must divide the minute: one of 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60/,
    ],
    [{ pollIntervalSeconds: 12, feedCheckSeconds: 5 }, /invalid prop 'feedCheckSeconds': 5 is refused\. Fix: it must divide the poll interval \(12s\)/],
    [
      { mode: "metrics-only", feedCheckSeconds: 5 },
      /invalid prop 'feedCheckSeconds': 5 is refused\. Fix: it must equal the poll interval \(60s\) in metrics-only mode/,
    ],
    [
      { quickScaleInAfterSeconds: 300 },
      /invalid prop 'quickScaleInAfterSeconds': 300 is refused\. Fix: it must not be longer than scaleInAfterSeconds \(180\)/,
    ],
    [{ quickScaleInAfterSeconds: 30 }, /invalid prop 'quickScaleInAfterSeconds': 30 is refused\. Fix: it must be a whole number from 60 to 86400/],
    [{ quickScaleInFraction: 1.5 }, /invalid prop 'quickScaleInFraction': 1.5 is refused\. Fix: it must be a number from 0 to 1 \(0: off\)/],
    [{ bootSeconds: -1 }, /invalid prop 'bootSeconds': -1 is refused\. Fix: it must be a whole number from 0 to 3600 \(launch to a registered worker\)/],
    [{ rateWindowSeconds: 30 }, /invalid prop 'rateWindowSeconds': 30 is refused\. Fix: it must be a whole number from 60 to 3600/],
    [
      { drainTimeoutSeconds: 900 },
      new RegExp(
        "invalid prop 'drainTimeoutSeconds': 900 is refused\\. Fix: it is shorter than maxActionTimeoutSeconds " +
          "\\(1200\\): a draining worker would be stopped mid-action; make it at least 1200",
      ),
    ],
    [{ drainTimeoutSeconds: 9000 }, /invalid prop 'drainTimeoutSeconds': 9000 is refused\. Fix: it must be a whole number of seconds from 30 to 7200/],
    [{ demandSplit: { kind: "shares", shares: { x86_64: 0.5 } } }, /invalid prop 'demandSplit'/],
    [
      { fleets: { arm64: required.fleets.arm64 }, demandSplit: { kind: "preferred", fleet: "x86_64" } },
      /invalid prop 'demandSplit': .*Fix: it prefers x86_64, which is not in fleets; prefer arm64/,
    ],
    [{ logRetentionDays: 10 }, /invalid prop 'logRetentionDays': 10 is refused\. Fix: it must be one of CloudWatch's retention values/],
    [
      { bundlePath: "/nonexistent/handler.zip" },
      /the handler bundle \/nonexistent\/handler\.zip does not exist\. Build it with "npm run build -w @nativelink-aws\/autoscaler"/,
    ],
  ];
  it.each(invalid)("rejects %o, naming the prop and the fix", (override, message) => {
    expect(() => synth({ ...required, ...override })).toThrow(message);
  });

  it("passes the policy's settings to the function, and a poll interval the checks divide", () => {
    const { resource: custom } = synth({
      ...required,
      pollIntervalSeconds: 12,
      scaleInAfterSeconds: 300,
      quickScaleInAfterSeconds: 90,
      quickScaleInFraction: 0,
      bootSeconds: 240,
      rateWindowSeconds: 180,
    });
    expect(all(custom, "aws_lambda_function")[0]).toMatchObject({
      timeout: 57,
      environment: {
        variables: {
          POLL_INTERVAL_SECONDS: "12",
          FEED_CHECK_SECONDS: "4",
          SCALE_IN_AFTER_SECONDS: "300",
          QUICK_SCALE_IN_AFTER_SECONDS: "90",
          QUICK_SCALE_IN_FRACTION: "0",
          BOOT_SECONDS: "240",
          RATE_WINDOW_SECONDS: "180",
        },
      },
    });
    const { resource: once } = synth({ ...required, pollIntervalSeconds: 60, feedCheckSeconds: 60 });
    expect(all(once, "aws_lambda_function")[0]).toMatchObject({ timeout: 30, environment: { variables: { FEED_CHECK_SECONDS: "60" } } });
    const { resource: watching } = synth({ ...required, pollIntervalSeconds: 60 });
    expect(all(watching, "aws_lambda_function")[0]).toMatchObject({ timeout: 57, environment: { variables: { FEED_CHECK_SECONDS: "5" } } });
  });

  it("says which required prop is missing", () => {
    expect(() => synth({ ...required, vpcId: undefined } as unknown as WorkerAutoscalerProps)).toThrow(
      /autoscaler: invalid prop 'vpcId': it is required\. Fix: pass vpcId: it must be a VPC id/,
    );
  });
});
