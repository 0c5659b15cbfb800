import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone/index.js";
import { TerraformOutput, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { defaultBundlePath } from "../src/construct/bundle.js";
import { SchedulerDnsRecord } from "../src/construct/scheduler-dns-record.js";
import type { SchedulerDnsRecordProps } from "../src/construct/props.js";

type Resources = Record<string, Record<string, Record<string, unknown>>>;
interface Synthesized {
  readonly resource: Resources;
  readonly data: Resources;
}

const required: SchedulerDnsRecordProps = {
  hostedZoneId: "Z0123456789ABCDEFGHIJ",
  recordName: "Scheduler.Internal.Example.com.",
  schedulerAutoScalingGroupName: "nativelink-scheduler",
};

function synth(...deployments: SchedulerDnsRecordProps[]): Synthesized {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  deployments.forEach((props, index) => new SchedulerDnsRecord(stack, `scheduler-dns-${index}`, props));
  return JSON.parse(Testing.synth(stack)) as Synthesized;
}

function only(resources: Resources, type: string): Record<string, unknown> {
  const all = Object.values(resources[type] ?? {});
  expect(all, type).toHaveLength(1);
  return all[0]!;
}

describe("SchedulerDnsRecord", () => {
  const synthesized = synth(required);
  const { resource } = synthesized;

  it("deploys the bundle as a Node.js 22 arm64 function with its configuration", () => {
    const fn = only(resource, "aws_lambda_function");
    expect(fn).toMatchObject({
      function_name: "nativelink-scheduler-dns",
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      memory_size: 256,
      timeout: 30,
      source_code_hash: createHash("sha256").update(readFileSync(defaultBundlePath)).digest("base64"),
      environment: {
        variables: {
          SCHEDULER_ASG_NAME: "nativelink-scheduler",
          HOSTED_ZONE_ID: "Z0123456789ABCDEFGHIJ",
          RECORD_NAME: "Scheduler.Internal.Example.com.",
          RECORD_TTL: "30",
        },
      },
      // The writer contract (docs/DESIGN.md): NL-DNS-1 of @nativelink-aws/constructs finds the writer by this tag.
      tags: { "nativelink:deployment": "nativelink", "nativelink:dns-record-writer": "Scheduler.Internal.Example.com." },
    });
    expect(fn.filename).toMatch(/^assets\/.+\/handler\.zip$/);
    expect(fn.depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^aws_iam_role_policy\./), expect.stringMatching(/^aws_cloudwatch_log_group\./)]),
    );
  });

  it("runs one invocation at a time, so racing events cannot write the record out of order", () => {
    expect(only(resource, "aws_lambda_function").reserved_concurrent_executions).toBe(1);
  });

  it("creates the function's log group with a retention", () => {
    expect(only(resource, "aws_cloudwatch_log_group")).toMatchObject({ name: "/aws/lambda/nativelink-scheduler-dns", retention_in_days: 30 });
  });

  it("grants least privilege: describes, one zone, one UPSERT-only A record, its own logs", () => {
    const policy = JSON.parse(String(only(resource, "aws_iam_role_policy").policy)) as {
      Statement: { Sid: string; Action: string[]; Resource: string; Condition?: unknown }[];
    };
    const bySid = Object.fromEntries(policy.Statement.map((statement) => [statement.Sid, statement]));
    expect(Object.keys(bySid)).toEqual(["DescribeSchedulerGroup", "ReadZone", "UpsertSchedulerRecord", "WriteOwnLogs"]);
    expect(bySid.DescribeSchedulerGroup).toMatchObject({ Action: ["autoscaling:DescribeAutoScalingGroups", "ec2:DescribeInstances"], Resource: "*" });
    const partition = Object.keys(synthesized.data.aws_partition ?? {})[0];
    const zoneArn = `arn:\${data.aws_partition.${partition}.partition}:route53:::hostedzone/Z0123456789ABCDEFGHIJ`;
    expect(bySid.ReadZone).toMatchObject({ Action: ["route53:ListResourceRecordSets"], Resource: zoneArn });
    expect(bySid.UpsertSchedulerRecord).toEqual({
      Sid: "UpsertSchedulerRecord",
      Effect: "Allow",
      Action: ["route53:ChangeResourceRecordSets"],
      Resource: zoneArn,
      Condition: {
        "ForAllValues:StringEquals": {
          "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["scheduler.internal.example.com"],
          "route53:ChangeResourceRecordSetsRecordTypes": ["A"],
          "route53:ChangeResourceRecordSetsActions": ["UPSERT"],
        },
      },
    });
    expect(bySid.WriteOwnLogs).toMatchObject({
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.[^}]+\.arn\}:\*$/),
    });
    expect(policy.Statement.flatMap((statement) => statement.Action)).not.toContain("logs:CreateLogGroup");
    expect(JSON.parse(String(only(resource, "aws_iam_role").assume_role_policy))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
  });

  it("routes only the scheduler group's instance events, and a sweep every 5 minutes", () => {
    const rules = Object.values(resource.aws_cloudwatch_event_rule ?? {});
    const eventRule = rules.find((rule) => rule.name === "nativelink-scheduler-dns-events");
    expect(JSON.parse(String(eventRule?.event_pattern))).toEqual({
      source: ["aws.autoscaling"],
      "detail-type": [
        "EC2 Instance Launch Successful",
        "EC2 Instance Terminate Successful",
        "EC2 Instance-launch Lifecycle Action",
        "EC2 Instance-terminate Lifecycle Action",
      ],
      detail: { AutoScalingGroupName: ["nativelink-scheduler"] },
    });
    expect(rules.find((rule) => rule.name === "nativelink-scheduler-dns-sweep")).toMatchObject({ schedule_expression: "rate(5 minutes)" });
    const permissions = Object.values(resource.aws_lambda_permission ?? {});
    expect(permissions).toHaveLength(2);
    for (const permission of permissions) {
      expect(permission).toMatchObject({
        action: "lambda:InvokeFunction",
        principal: "events.amazonaws.com",
        source_arn: expect.stringMatching(/^\$\{aws_cloudwatch_event_rule\..+\.arn\}$/),
      });
    }
    expect(Object.values(resource.aws_cloudwatch_event_target ?? {})).toHaveLength(2);
  });

  it("invokes the function at deploy time with {}, again whenever its code or configuration changes", () => {
    const invocation = only(resource, "aws_lambda_invocation");
    expect(JSON.parse(String(invocation.input))).toEqual({});
    expect(invocation.function_name).toMatch(/^\$\{aws_lambda_function\..+\.function_name\}$/);
    expect(invocation.triggers).toMatchObject({
      source_code_hash: only(resource, "aws_lambda_function").source_code_hash,
      RECORD_NAME: "Scheduler.Internal.Example.com.",
      RECORD_TTL: "30",
    });
    expect(synth({ ...required, syncOnDeploy: false }).resource.aws_lambda_invocation).toBeUndefined();
  });

  it("derives every physical name from `name`, so two deployments coexist", () => {
    const two = synth({ ...required, name: "blue" }, { ...required, name: "green", recordTtlSeconds: 60, logRetentionDays: 7, sweepRate: "rate(1 minute)" });
    const names = (type: string, key: string) => Object.values(two.resource[type] ?? {}).map((item) => item[key]);
    expect(names("aws_lambda_function", "function_name")).toEqual(["blue-scheduler-dns", "green-scheduler-dns"]);
    expect(names("aws_iam_role", "name")).toEqual(["blue-scheduler-dns", "green-scheduler-dns"]);
    expect(names("aws_cloudwatch_log_group", "name")).toEqual(["/aws/lambda/blue-scheduler-dns", "/aws/lambda/green-scheduler-dns"]);
    expect(names("aws_cloudwatch_log_group", "retention_in_days")).toEqual([30, 7]);
    expect(names("aws_cloudwatch_event_rule", "name")).toEqual([
      "blue-scheduler-dns-events",
      "blue-scheduler-dns-sweep",
      "green-scheduler-dns-events",
      "green-scheduler-dns-sweep",
    ]);
    expect(names("aws_cloudwatch_event_rule", "schedule_expression")).toContain("rate(1 minute)");
  });

  it("accepts Terraform references and normalizes a referenced record name in the policy", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "refs");
    const zone = new Route53Zone(stack, "internal", { name: "internal.example.com" });
    const groupName = new TerraformVariable(stack, "scheduler_group", { type: "string" });
    const construct = new SchedulerDnsRecord(stack, "dns", {
      hostedZoneId: zone.zoneId,
      recordName: `scheduler.${zone.name}`,
      schedulerAutoScalingGroupName: groupName.stringValue,
    });
    new TerraformOutput(stack, "scheduler_dns_function_arn", { value: construct.functionArn });
    new TerraformOutput(stack, "scheduler_dns_function_name", { value: construct.functionName });
    const synthesized = JSON.parse(Testing.synth(stack)) as Synthesized & { output: Record<string, { value: string }> };
    // A Terraform template, JSON once Terraform has evaluated the expression in it.
    const policy = String(only(synthesized.resource, "aws_iam_role_policy").policy);
    const local = Object.entries((synthesized as unknown as { locals: Record<string, string> }).locals).find(
      ([, value]) => value === "scheduler.${aws_route53_zone.internal.name}",
    )?.[0];
    expect(policy).toContain(`"route53:ChangeResourceRecordSetsNormalizedRecordNames":["\${trimsuffix(lower(local.${local}), ".")}"]`);
    expect(policy).toContain('"Resource":"arn:${data.aws_partition.dns_partition_');
    const eventRule = Object.values(synthesized.resource.aws_cloudwatch_event_rule ?? {}).find((rule) => rule.event_pattern !== undefined);
    expect(JSON.parse(String(eventRule?.event_pattern))).toMatchObject({ detail: { AutoScalingGroupName: ["${var.scheduler_group}"] } });
    expect(only(synthesized.resource, "aws_lambda_function").environment).toEqual({
      variables: {
        SCHEDULER_ASG_NAME: "${var.scheduler_group}",
        HOSTED_ZONE_ID: "${aws_route53_zone.internal.zone_id}",
        RECORD_NAME: "scheduler.${aws_route53_zone.internal.name}",
        RECORD_TTL: "30",
      },
    });
    expect(synthesized.output.scheduler_dns_function_arn?.value).toMatch(/^\$\{aws_lambda_function\..+\.arn\}$/);
    expect(synthesized.output.scheduler_dns_function_name?.value).toMatch(/^\$\{aws_lambda_function\..+\.function_name\}$/);
  });
});

describe("SchedulerDnsRecord props", () => {
  const invalid: [Partial<SchedulerDnsRecordProps>, RegExp][] = [
    [{ name: "Prod_1" }, /invalid prop 'name': "Prod_1" is refused\. Fix: it must be 2-20 lowercase letters/],
    [{ name: "a".repeat(21) }, /invalid prop 'name'/],
    [{ name: "a" }, /invalid prop 'name'/],
    [
      { hostedZoneId: "/hostedzone/Z1" },
      new RegExp(
        `invalid prop 'hostedZoneId': "/hostedzone/Z1" is refused\\. ` +
          `Fix: it must be a hosted zone id such as "Z0123456789ABCDEFGHIJ" \\(no "/hostedzone/" prefix\\)`,
      ),
    ],
    [{ recordName: "scheduler" }, /invalid prop 'recordName': "scheduler" is refused\. Fix: it must be a fully qualified DNS name/],
    [{ schedulerAutoScalingGroupName: "" }, /invalid prop 'schedulerAutoScalingGroupName': "" is refused/],
    [{ recordTtlSeconds: 0 }, /invalid prop 'recordTtlSeconds': 0 is refused\. Fix: it must be a whole number of seconds from 1 to 86400/],
    [{ recordTtlSeconds: 2.5 }, /invalid prop 'recordTtlSeconds': 2\.5 is refused/],
    [{ logRetentionDays: 10 }, /invalid prop 'logRetentionDays': 10 is refused\. Fix: it must be one of CloudWatch's retention values: 1, 3, 5, 7, 14, 30/],
    [
      { sweepRate: "every 5 minutes" },
      /invalid prop 'sweepRate': "every 5 minutes" is refused\. Fix: it must be an EventBridge schedule expression such as "rate\(5 minutes\)"/,
    ],
    [{ sweepRate: "rate(5 minute)" }, /invalid prop 'sweepRate'/],
    [{ memorySizeMb: 64 }, /invalid prop 'memorySizeMb': 64 is refused\. Fix: it must be a whole number of MB from 128 to 10240/],
    [{ timeoutSeconds: 1000 }, /invalid prop 'timeoutSeconds': 1000 is refused/],
    [{ tags: { "": "x" } }, /invalid prop 'tags'/],
    [
      { bundlePath: "/nonexistent/handler.zip" },
      new RegExp(
        "the handler bundle \\/nonexistent\\/handler\\.zip does not exist\\. Build it with " +
          '"npm run build -w @nativelink-aws\\/dns-lambda", or set the bundlePath prop',
      ),
    ],
  ];

  it.each(invalid)("rejects %o, naming the prop and the fix", (override, message) => {
    expect(() => synth({ ...required, ...override })).toThrow(message);
  });

  it("says which required prop is missing", () => {
    expect(() => synth({ hostedZoneId: "Z1", recordName: "a.example.com" } as SchedulerDnsRecordProps)).toThrow(
      /invalid prop 'schedulerAutoScalingGroupName': it is required\. Fix: pass schedulerAutoScalingGroupName/,
    );
  });
});
