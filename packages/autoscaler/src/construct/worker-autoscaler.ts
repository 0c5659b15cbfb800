import { AutoscalingLifecycleHook } from "@cdktf/provider-aws/lib/autoscaling-lifecycle-hook/index.js";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target/index.js";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function/index.js";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config/index.js";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission/index.js";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { deploymentTags, physicalName as physical } from "@nativelink-aws/conventions";
import { handlerFunctionCode, lambdaAssumeRolePolicy } from "@nativelink-aws/conventions/lambda-construct";
import { formatDemandSplit } from "../handler/demand.js";
import { ARCHITECTURES, drainHookName, fleetDimension } from "../policy/fleets.js";
import { policySettingNames, policySettingRules } from "../policy/settings.js";
import { readAutoscalerBundle } from "./bundle.js";
import { autoscalerRolePolicy } from "./policy-document.js";
import type { WorkerAutoscalerProps } from "./props.js";
import { resolveProps } from "./resolve-props.js";
import { addStepScaling } from "./step-scaling.js";

/**
 * Scales NativeLink's worker fleets from the scheduler's metrics: a Lambda in the VPC reads the collector's
 * Prometheus page every minute (polling several times per invocation), publishes the NativeLink metrics, and sets
 * each worker group's desired capacity (or, in metrics-only mode, lets alarms and step policies do it). Each group
 * gets the termination lifecycle hook `<name>-drain` that the workers' drain watcher completes.
 */
export class WorkerAutoscaler extends Construct {
  /** `<name>-autoscaler`. */
  public readonly functionName: string;
  public readonly functionArn: string;
  public readonly roleArn: string;
  /** The function's security group: the only one allowed to the scheduler's metrics port. */
  public readonly securityGroupId: string;
  /** `/aws/lambda/<name>-autoscaler`. */
  public readonly logGroupName: string;
  /** `<name>-drain`, on every worker group. */
  public readonly drainHookName: string;
  public readonly lambdaFunction: LambdaFunction;

  constructor(scope: Construct, id: string, props: WorkerAutoscalerProps) {
    super(scope, id);
    const config = resolveProps(this.node.path, props);
    const physicalName = physical(config.name, "autoscaler");
    const tags = deploymentTags(config.name, config.tags);
    const fleets = ARCHITECTURES.flatMap((architecture) => (config.fleets[architecture] ? [{ architecture, ...config.fleets[architecture] }] : []));
    const bundle = readAutoscalerBundle(config.bundlePath);
    const asset = new TerraformAsset(this, "handler-bundle", { path: bundle.path, type: AssetType.FILE });
    const partition = new DataAwsPartition(this, "partition");

    const logGroup = new CloudwatchLogGroup(this, "log-group", { name: `/aws/lambda/${physicalName}`, retentionInDays: config.logRetentionDays, tags });
    const role = new IamRole(this, "role", { name: physicalName, assumeRolePolicy: JSON.stringify(lambdaAssumeRolePolicy), tags });
    const policy = new IamRolePolicy(this, "policy", {
      name: physicalName,
      role: role.id,
      policy: JSON.stringify(
        autoscalerRolePolicy({ groupArns: fleets.map((fleet) => fleet.groupArn), setsCapacity: config.mode === "set-capacity", logGroupArn: logGroup.arn }),
      ),
    });
    const vpcAccess = new IamRolePolicyAttachment(this, "vpc-access", {
      role: role.name,
      policyArn: `arn:${partition.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole`,
    });

    // The function's group: no ingress; egress to the scheduler's metrics port and to the VPC's interface endpoints.
    const group = new SecurityGroup(this, "security-group", {
      name: physicalName,
      description: "NativeLink autoscaler Lambda: scheduler metrics and AWS API endpoints",
      vpcId: config.vpcId,
      tags: { ...tags, Name: physicalName },
      lifecycle: { createBeforeDestroy: true },
    });
    const port = { ipProtocol: "tcp", fromPort: config.metricsPort, toPort: config.metricsPort };
    new VpcSecurityGroupEgressRule(this, "to-scheduler-metrics", {
      securityGroupId: group.id,
      referencedSecurityGroupId: config.schedulerSecurityGroupId,
      ...port,
      description: "Scheduler metrics (Prometheus text)",
    });
    new VpcSecurityGroupEgressRule(this, "to-aws-endpoints", {
      securityGroupId: group.id,
      cidrIpv4: config.vpcCidrBlock,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      description: "HTTPS to the CloudWatch and Auto Scaling interface endpoints",
    });
    new VpcSecurityGroupIngressRule(this, "scheduler-metrics-from-autoscaler", {
      securityGroupId: config.schedulerSecurityGroupId,
      referencedSecurityGroupId: group.id,
      ...port,
      description: "Metrics: the autoscaler Lambda only",
    });

    const environment: Record<string, string> = {
      DEPLOYMENT_NAME: config.name,
      FEED_URL: config.feedUrl,
      MODE: config.mode,
      POLL_INTERVAL_SECONDS: String(config.pollIntervalSeconds),
      FEED_CHECK_SECONDS: String(config.feedCheckSeconds),
      ...Object.fromEntries(policySettingNames.map((setting) => [policySettingRules[setting].environment, String(config[setting])])),
      DEMAND_SPLIT: formatDemandSplit(config.demandSplit),
      PLATFORM_LABEL: config.platformLabel,
    };
    for (const fleet of fleets) environment[`${fleet.architecture.toUpperCase()}_GROUP_NAME`] = fleet.groupName;
    this.lambdaFunction = new LambdaFunction(this, "function", {
      functionName: physicalName,
      description: "Scales the NativeLink worker fleets from the scheduler's metrics",
      ...handlerFunctionCode(bundle, asset.path),
      role: role.arn,
      memorySize: config.memorySizeMb,
      // Polls and checks end within the minute; the next scheduled invocation must not overlap this one.
      timeout: config.pollIntervalSeconds === 60 && config.feedCheckSeconds === 60 ? 30 : 57,
      vpcConfig: { subnetIds: config.subnetIds, securityGroupIds: [group.id] },
      // One decision at a time: two overlapping runs could set capacity from stale views.
      reservedConcurrentExecutions: 1,
      environment: { variables: environment },
      dependsOn: [policy, vpcAccess, logGroup],
      tags,
    });
    // A tick that cannot run now is worthless later: no retries, and dropped after a minute.
    new LambdaFunctionEventInvokeConfig(this, "invoke-config", {
      functionName: this.lambdaFunction.functionName,
      maximumRetryAttempts: 0,
      maximumEventAgeInSeconds: 60,
    });

    const schedule = new CloudwatchEventRule(this, "schedule", {
      name: physicalName,
      description: "Runs the NativeLink autoscaler every minute",
      scheduleExpression: "rate(1 minute)",
      tags,
    });
    new CloudwatchEventTarget(this, "schedule-target", { rule: schedule.name, arn: this.lambdaFunction.arn });
    new LambdaPermission(this, "schedule-permission", {
      statementId: "AllowEventBridgeSchedule",
      action: "lambda:InvokeFunction",
      functionName: this.lambdaFunction.functionName,
      principal: "events.amazonaws.com",
      sourceArn: schedule.arn,
    });

    this.drainHookName = drainHookName(config.name);
    for (const fleet of fleets) {
      new AutoscalingLifecycleHook(this, `drain-${fleet.architecture}`, {
        name: this.drainHookName,
        autoscalingGroupName: fleet.groupName,
        lifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
        defaultResult: "CONTINUE",
        heartbeatTimeout: config.drainTimeoutSeconds,
      });
      if (config.mode === "metrics-only")
        addStepScaling(this, `step-${fleet.architecture}`, {
          deploymentName: config.name,
          fleet: fleetDimension(fleet.architecture),
          groupName: fleet.groupName,
          tags,
        });
    }

    this.functionName = this.lambdaFunction.functionName;
    this.functionArn = this.lambdaFunction.arn;
    this.roleArn = role.arn;
    this.securityGroupId = group.id;
    this.logGroupName = logGroup.name;
  }
}
