import { METRIC_NAMESPACE } from "@nativelink-aws/conventions";
import type { PolicyDocument, PolicyStatement } from "@nativelink-aws/conventions/lambda-construct";

export interface AutoscalerPolicyInput {
  /** ARNs of the worker groups; SetDesiredCapacity is allowed on these only. */
  readonly groupArns: readonly string[];
  /** Whether the function sets capacity itself (not in metrics-only mode). */
  readonly setsCapacity: boolean;
  /** ARN of the function's own log group (without `:*`). */
  readonly logGroupArn: string;
}

/**
 * Least privilege: publish metrics only into the NativeLink namespace (PutMetricData takes no resource, so a
 * `cloudwatch:namespace` condition narrows it); read its own history and describe groups (these take no resource);
 * set the desired capacity of the worker groups only; write its own log group. ENIs come from the managed
 * AWSLambdaVPCAccessExecutionRole, attached beside this policy.
 */
export function autoscalerRolePolicy(input: AutoscalerPolicyInput): PolicyDocument {
  const statements: PolicyStatement[] = [
    {
      Sid: "PublishNativeLinkMetrics",
      Effect: "Allow",
      Action: ["cloudwatch:PutMetricData"],
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": [METRIC_NAMESPACE] } },
    },
    { Sid: "ReadRequirementHistory", Effect: "Allow", Action: ["cloudwatch:GetMetricData"], Resource: "*" },
    { Sid: "DescribeWorkerGroups", Effect: "Allow", Action: ["autoscaling:DescribeAutoScalingGroups"], Resource: "*" },
  ];
  if (input.setsCapacity)
    statements.push({ Sid: "SetWorkerCapacity", Effect: "Allow", Action: ["autoscaling:SetDesiredCapacity"], Resource: [...input.groupArns] });
  statements.push({ Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${input.logGroupArn}:*` });
  return { Version: "2012-10-17", Statement: statements };
}
