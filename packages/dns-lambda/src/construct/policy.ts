import type { PolicyDocument } from "@nativelink-aws/conventions/lambda-construct";
import { autoScalingDetailTypes } from "../handler/events.js";

export interface SchedulerDnsPolicyInput {
  /** `aws`, `aws-cn`, `aws-us-gov`: from the provider, never hard-coded. */
  readonly partition: string;
  readonly hostedZoneId: string;
  /** Lower case, without the trailing dot: the form of Route 53's normalized-names condition key. */
  readonly normalizedRecordName: string;
  /** ARN of the function's own log group (without `:*`). */
  readonly logGroupArn: string;
}

/**
 * Least privilege for the handler: read the group and its instances (describe calls take no resource), read the
 * one zone, UPSERT only the one A record in it, and write only its own log group.
 */
export function schedulerDnsPolicy(input: SchedulerDnsPolicyInput): PolicyDocument {
  const zoneArn = `arn:${input.partition}:route53:::hostedzone/${input.hostedZoneId}`;
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "DescribeSchedulerGroup", Effect: "Allow", Action: ["autoscaling:DescribeAutoScalingGroups", "ec2:DescribeInstances"], Resource: "*" },
      { Sid: "ReadZone", Effect: "Allow", Action: ["route53:ListResourceRecordSets"], Resource: zoneArn },
      {
        Sid: "UpsertSchedulerRecord",
        Effect: "Allow",
        Action: ["route53:ChangeResourceRecordSets"],
        Resource: zoneArn,
        Condition: {
          "ForAllValues:StringEquals": {
            "route53:ChangeResourceRecordSetsNormalizedRecordNames": [input.normalizedRecordName],
            "route53:ChangeResourceRecordSetsRecordTypes": ["A"],
            "route53:ChangeResourceRecordSetsActions": ["UPSERT"],
          },
        },
      },
      { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${input.logGroupArn}:*` },
    ],
  };
}

/** The EventBridge pattern: the scheduler group's launch, terminate and lifecycle events, and nothing else. */
export function schedulerEventPattern(schedulerAutoScalingGroupName: string) {
  return {
    source: ["aws.autoscaling"],
    "detail-type": [...autoScalingDetailTypes],
    detail: { AutoScalingGroupName: [schedulerAutoScalingGroupName] },
  };
}
