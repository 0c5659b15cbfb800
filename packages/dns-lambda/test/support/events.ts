// Sample events in the shapes AWS delivers them (trimmed to realistic fields), for unit and moto tests.
import type { AutoScalingDetailType } from "../../src/handler/events.js";

const account = "123456789012";
const time = "2025-11-26T12:00:00Z";

export function autoScalingEvent(detailType: AutoScalingDetailType, groupName: string, instanceId: string) {
  const lifecycle = detailType.includes("Lifecycle Action");
  const transition = detailType.includes("terminate") ? "autoscaling:EC2_INSTANCE_TERMINATING" : "autoscaling:EC2_INSTANCE_LAUNCHING";
  return {
    version: "0",
    id: "7bf73129-1428-4cd3-a780-95db273d1602",
    "detail-type": detailType,
    source: "aws.autoscaling",
    account,
    time,
    region: "us-east-1",
    resources: [`arn:aws:autoscaling:us-east-1:${account}:autoScalingGroup:0000:autoScalingGroupName/${groupName}`],
    detail: lifecycle
      ? {
          LifecycleActionToken: "87654321-4321-4321-4321-210987654321",
          AutoScalingGroupName: groupName,
          LifecycleHookName: "hook",
          EC2InstanceId: instanceId,
          LifecycleTransition: transition,
        }
      : {
          StatusCode: "Successful",
          AutoScalingGroupName: groupName,
          ActivityId: "a1",
          EC2InstanceId: instanceId,
          Cause: "test",
          Details: { "Availability Zone": "us-east-1a" },
        },
  };
}

export type NotificationKind = "autoscaling:EC2_INSTANCE_LAUNCH" | "autoscaling:EC2_INSTANCE_TERMINATE" | "autoscaling:TEST_NOTIFICATION";

/** An Auto Scaling notification, published to SNS and delivered to Lambda (the original deployment's path). */
export function snsNotificationEvent(kind: NotificationKind, groupName: string, instanceId?: string) {
  const message = {
    Progress: 50,
    AccountId: account,
    Description: `${kind} ${instanceId ?? ""}`,
    RequestId: "r1",
    AutoScalingGroupARN: `arn:aws:autoscaling:us-east-1:${account}:autoScalingGroup:0000:autoScalingGroupName/${groupName}`,
    Service: "AWS Auto Scaling",
    Time: time,
    Event: kind,
    AutoScalingGroupName: groupName,
    ...(instanceId === undefined ? {} : { EC2InstanceId: instanceId }),
  };
  return {
    Records: [
      {
        EventSource: "aws:sns",
        EventVersion: "1.0",
        EventSubscriptionArn: `arn:aws:sns:us-east-1:${account}:asg-notifications:1`,
        Sns: {
          Type: "Notification",
          MessageId: "m1",
          TopicArn: `arn:aws:sns:us-east-1:${account}:asg-notifications`,
          Subject: "Auto Scaling",
          Message: JSON.stringify(message),
          Timestamp: time,
        },
      },
    ],
  };
}

export function scheduledEvent() {
  return {
    version: "0",
    id: "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account,
    time,
    region: "us-east-1",
    resources: [`arn:aws:events:us-east-1:${account}:rule/nativelink-scheduler-dns-sweep`],
    detail: {},
  };
}
