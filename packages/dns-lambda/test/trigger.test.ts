import { describe, expect, it } from "vitest";
import { InvalidEventError, parseTrigger } from "../src/handler/trigger.js";
import { autoScalingEvent, scheduledEvent, snsNotificationEvent } from "./support/events.js";

const group = "nativelink-scheduler";
const instance = "i-0123456789abcdef0";

describe("parseTrigger: accepted events", () => {
  it.each([
    ["EC2 Instance Launch Successful", []],
    ["EC2 Instance Terminate Successful", [instance]],
    ["EC2 Instance-launch Lifecycle Action", []],
    ["EC2 Instance-terminate Lifecycle Action", [instance]],
  ] as const)("EventBridge %s", (detailType, terminating) => {
    expect(parseTrigger(autoScalingEvent(detailType, group, instance))).toEqual({
      kind: "auto-scaling-event",
      description: `${detailType} ${instance}`,
      autoScalingGroupNames: [group],
      terminatingInstanceIds: terminating,
    });
  });

  it.each([
    ["autoscaling:EC2_INSTANCE_LAUNCH", instance, []],
    ["autoscaling:EC2_INSTANCE_TERMINATE", instance, [instance]],
    ["autoscaling:TEST_NOTIFICATION", undefined, []],
  ] as const)("SNS-wrapped notification %s", (kind, instanceId, terminating) => {
    const trigger = parseTrigger(snsNotificationEvent(kind, group, instanceId));
    expect(trigger).toMatchObject({ kind: "sns-notification", autoScalingGroupNames: [group], terminatingInstanceIds: terminating });
  });

  it("SNS-wrapped lifecycle hook notification (terminating)", () => {
    const event = snsNotificationEvent("autoscaling:EC2_INSTANCE_LAUNCH", group, instance);
    const hook = {
      LifecycleHookName: "drain",
      AutoScalingGroupName: group,
      EC2InstanceId: instance,
      LifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
      LifecycleActionToken: "t",
    };
    event.Records[0]!.Sns.Message = JSON.stringify(hook);
    expect(parseTrigger(event)).toMatchObject({ terminatingInstanceIds: [instance], description: `autoscaling:EC2_INSTANCE_TERMINATING ${instance}` });
  });

  it("scheduled event: a sweep", () => {
    expect(parseTrigger(scheduledEvent())).toEqual({
      kind: "scheduled-sweep",
      description: "Scheduled Event",
      autoScalingGroupNames: [],
      terminatingInstanceIds: [],
    });
  });

  it("{}: the deploy-time sync", () => {
    expect(parseTrigger({})).toMatchObject({ kind: "deploy-sync", terminatingInstanceIds: [] });
  });
});

describe("parseTrigger: malformed events name what is wrong", () => {
  const launch = autoScalingEvent("EC2 Instance Launch Successful", group, instance);
  const sns = snsNotificationEvent("autoscaling:EC2_INSTANCE_LAUNCH", group, instance);
  const table: { name: string; event: unknown; message: RegExp }[] = [
    { name: "null", event: null, message: /not a JSON object \(got null\)/ },
    { name: "an array", event: [launch], message: /not a JSON object \(got an array\)/ },
    { name: "a string", event: "sync", message: /not a JSON object \(got string\)/ },
    { name: "an unknown envelope", event: { hello: "world" }, message: /keys \[hello\] and no source/ },
    { name: "another service's event", event: { ...launch, source: "aws.ec2" }, message: /source "aws\.ec2"/ },
    {
      name: "an unanswered detail type",
      event: { ...launch, "detail-type": "EC2 Instance Launch Unsuccessful" },
      message: /Invalid Auto Scaling event: detail-type: /,
    },
    { name: "no group name", event: { ...launch, detail: { EC2InstanceId: instance } }, message: /detail\.AutoScalingGroupName/ },
    {
      name: "a bad instance id",
      event: { ...launch, detail: { AutoScalingGroupName: group, EC2InstanceId: "web-1" } },
      message: /detail\.EC2InstanceId: is not an EC2 instance id/,
    },
    { name: "a scheduled event of another kind", event: { ...scheduledEvent(), "detail-type": "Something" }, message: /Invalid scheduled event: detail-type/ },
    { name: "SNS with no records", event: { Records: [] }, message: /Records: is empty/ },
    {
      name: "SNS with a message that is not JSON",
      event: { Records: [{ ...sns.Records[0], Sns: { Message: "Auto Scaling: launch" } }] },
      message: /Records\.0\.Sns\.Message: is not JSON/,
    },
    { name: "SNS from another source", event: { Records: [{ ...sns.Records[0], EventSource: "aws:sqs" }] }, message: /Records\.0\.EventSource/ },
    { name: "a sync request with arguments", event: { sync: true }, message: /keys \[sync\]/ },
  ];

  it.each(table)("$name", ({ event, message }) => {
    expect(() => parseTrigger(event)).toThrow(InvalidEventError);
    expect(() => parseTrigger(event)).toThrow(message);
    expect(() => parseTrigger(event)).toThrow(/Accepted: an EventBridge Auto Scaling event/);
  });
});
