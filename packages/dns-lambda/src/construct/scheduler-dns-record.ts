import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target/index.js";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function/index.js";
import { LambdaInvocation } from "@cdktf/provider-aws/lib/lambda-invocation/index.js";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission/index.js";
import { AssetType, Fn, TerraformAsset, TerraformLocal, Token } from "cdktf";
import { Construct } from "constructs";
import { readSchedulerDnsBundle } from "./bundle.js";
import { schedulerDnsPolicy, schedulerEventPattern } from "./policy.js";
import { TAG_KEYS, deploymentTags, physicalName as physical } from "@nativelink-aws/conventions";
import { handlerFunctionCode, lambdaAssumeRolePolicy } from "@nativelink-aws/conventions/lambda-construct";
import { resolveProps, type SchedulerDnsRecordProps } from "./props.js";

/** Tags the function as the writer of its record (the `nativelink:dns-record-writer` contract, docs/DESIGN.md). */
export const DNS_RECORD_WRITER_TAG = TAG_KEYS.dnsRecordWriter;

/**
 * Keeps the scheduler's private A record (`scheduler.internal.DOMAIN`) true through every scheduler replacement:
 * a Lambda answers the scheduler group's EventBridge events, a scheduled sweep re-checks as a safety net, and a
 * deploy-time invocation writes the record before the first worker boots.
 */
export class SchedulerDnsRecord extends Construct {
  /** `<name>-scheduler-dns`. */
  public readonly functionName: string;
  public readonly functionArn: string;
  public readonly roleArn: string;
  /** `/aws/lambda/<name>-scheduler-dns`. */
  public readonly logGroupName: string;
  /** The rule matching the scheduler group's instance events. */
  public readonly eventRuleArn: string;
  /** The rule running the periodic sweep. */
  public readonly sweepRuleArn: string;
  public readonly lambdaFunction: LambdaFunction;
  /** The deploy-time sync; make resources that need the record (the worker fleet) depend on it. Absent when `syncOnDeploy` is false. */
  public readonly deploySync?: LambdaInvocation;

  constructor(scope: Construct, id: string, props: SchedulerDnsRecordProps) {
    super(scope, id);
    const config = resolveProps(this.node.path, props);
    const physicalName = physical(config.name, "scheduler-dns");
    const tags = deploymentTags(config.name, config.tags);
    const bundle = readSchedulerDnsBundle(config.bundlePath);
    const asset = new TerraformAsset(this, "handler-bundle", { path: bundle.path, type: AssetType.FILE });
    const partition = new DataAwsPartition(this, "partition");

    const logGroup = new CloudwatchLogGroup(this, "log-group", { name: `/aws/lambda/${physicalName}`, retentionInDays: config.logRetentionDays, tags });
    const role = new IamRole(this, "role", { name: physicalName, assumeRolePolicy: JSON.stringify(lambdaAssumeRolePolicy), tags });
    // Route 53's condition key holds names lower case without the trailing dot. A referenced name is normalized by
    // Terraform; through a local, because cdktf's functions mis-handle a template such as "scheduler.${zone.name}".
    const normalizedRecordName = Token.isUnresolved(config.recordName)
      ? Fn.trimsuffix(Fn.lower(new TerraformLocal(this, "record-name", config.recordName).asString), ".")
      : config.recordName.toLowerCase().replace(/\.$/, "");
    const policy = new IamRolePolicy(this, "policy", {
      name: physicalName,
      role: role.id,
      policy: JSON.stringify(
        schedulerDnsPolicy({ partition: partition.partition, hostedZoneId: config.hostedZoneId, normalizedRecordName, logGroupArn: logGroup.arn }),
      ),
    });

    const environment = {
      SCHEDULER_ASG_NAME: config.schedulerAutoScalingGroupName,
      HOSTED_ZONE_ID: config.hostedZoneId,
      RECORD_NAME: config.recordName,
      RECORD_TTL: String(config.recordTtlSeconds),
    };
    this.lambdaFunction = new LambdaFunction(this, "function", {
      functionName: physicalName,
      description: `Keeps ${Token.isUnresolved(config.recordName) ? "the scheduler record" : config.recordName} pointing at the live NativeLink scheduler`,
      ...handlerFunctionCode(bundle, asset.path),
      role: role.arn,
      memorySize: config.memorySizeMb,
      timeout: config.timeoutSeconds,
      // One invocation at a time: two events racing could otherwise write the record out of order.
      reservedConcurrentExecutions: 1,
      environment: { variables: environment },
      // The role's policy and the log group must exist before the first invocation, or its logs and calls fail.
      dependsOn: [policy, logGroup],
      // The writer contract of docs/DESIGN.md: the completeness rule NL-DNS-1 of @nativelink-aws/constructs looks for
      // a writer of every scheduler host the workers dial. A plain tag, so this package needs no constructs import.
      tags: { ...tags, [DNS_RECORD_WRITER_TAG]: config.recordName },
    });

    const eventRule = new CloudwatchEventRule(this, "event-rule", {
      name: `${physicalName}-events`,
      description: "Launch, terminate and lifecycle events of the NativeLink scheduler's Auto Scaling group",
      eventPattern: JSON.stringify(schedulerEventPattern(config.schedulerAutoScalingGroupName)),
      tags,
    });
    const sweepRule = new CloudwatchEventRule(this, "sweep-rule", {
      name: `${physicalName}-sweep`,
      description: "Safety net: re-checks the scheduler record even when no event arrives",
      scheduleExpression: config.sweepRate,
      tags,
    });
    for (const [key, rule] of [
      ["events", eventRule],
      ["sweep", sweepRule],
    ] as const) {
      new CloudwatchEventTarget(this, `${key}-target`, { rule: rule.name, arn: this.lambdaFunction.arn });
      new LambdaPermission(this, `${key}-permission`, {
        statementId: `AllowEventBridge-${key}`,
        action: "lambda:InvokeFunction",
        functionName: this.lambdaFunction.functionName,
        principal: "events.amazonaws.com",
        sourceArn: rule.arn,
      });
    }

    if (config.syncOnDeploy) {
      this.deploySync = new LambdaInvocation(this, "deploy-sync", {
        functionName: this.lambdaFunction.functionName,
        input: JSON.stringify({}),
        // Re-run when the code or what the function is told changes.
        triggers: { source_code_hash: bundle.sha256Base64, ...environment },
      });
    }

    this.functionName = this.lambdaFunction.functionName;
    this.functionArn = this.lambdaFunction.arn;
    this.roleArn = role.arn;
    this.logGroupName = logGroup.name;
    this.eventRuleArn = eventRule.arn;
    this.sweepRuleArn = sweepRule.arn;
  }
}
