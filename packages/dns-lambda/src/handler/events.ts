import * as z from "zod/mini";

/** The EventBridge detail types of Auto Scaling that the function answers; the construct's rule matches these. */
export const autoScalingDetailTypes = [
  "EC2 Instance Launch Successful",
  "EC2 Instance Terminate Successful",
  "EC2 Instance-launch Lifecycle Action",
  "EC2 Instance-terminate Lifecycle Action",
] as const;

export type AutoScalingDetailType = (typeof autoScalingDetailTypes)[number];

const instanceId = z.string().check(z.regex(/^i-[0-9a-f]{8,17}$/, "is not an EC2 instance id (i-0123456789abcdef0)"));
const groupName = z.string().check(z.minLength(1, "is empty"));

/** An Auto Scaling event delivered by EventBridge (other fields exist; these are the ones we read). */
export const autoScalingEventSchema = z.object({
  source: z.literal("aws.autoscaling"),
  "detail-type": z.enum(autoScalingDetailTypes),
  detail: z.object({ AutoScalingGroupName: groupName, EC2InstanceId: instanceId }),
});

/** EventBridge's scheduled event: the periodic sweep. */
export const scheduledEventSchema = z.object({
  source: z.literal("aws.events"),
  "detail-type": z.literal("Scheduled Event"),
});

/** A direct invocation with `{}`: the deploy-time sync. Anything else in it is a mistake, not a sync. */
export const directSyncEventSchema = z.strictObject({});

const notificationMessageSchema = z.union(
  [
    z.object({
      Event: z.enum(["autoscaling:EC2_INSTANCE_LAUNCH", "autoscaling:EC2_INSTANCE_TERMINATE"]),
      AutoScalingGroupName: groupName,
      EC2InstanceId: instanceId,
    }),
    // Failed activities and the test message sent when notifications are configured: a sweep is the right answer.
    z.object({
      Event: z.enum(["autoscaling:EC2_INSTANCE_LAUNCH_ERROR", "autoscaling:EC2_INSTANCE_TERMINATE_ERROR", "autoscaling:TEST_NOTIFICATION"]),
      AutoScalingGroupName: groupName,
    }),
    // Lifecycle hook notifications routed to SNS.
    z.object({
      LifecycleTransition: z.enum(["autoscaling:EC2_INSTANCE_LAUNCHING", "autoscaling:EC2_INSTANCE_TERMINATING"]),
      AutoScalingGroupName: groupName,
      EC2InstanceId: instanceId,
    }),
  ],
  { error: "is not an Auto Scaling launch, terminate, test or lifecycle notification for one group and instance" },
);

export type NotificationMessage = z.infer<typeof notificationMessageSchema>;

const jsonText = z.pipe(
  z.string(),
  z.transform((text: string, context): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      context.issues.push({ code: "custom", message: "is not JSON", input: text });
      return z.NEVER;
    }
  }),
);

/** Auto Scaling notifications published to SNS and delivered to Lambda (the original deployment's path). */
export const snsNotificationEventSchema = z.object({
  Records: z
    .array(
      z.object({
        EventSource: z.literal("aws:sns"),
        Sns: z.object({ Message: z.pipe(jsonText, notificationMessageSchema) }),
      }),
    )
    .check(z.minLength(1, "is empty")),
});

export type AutoScalingEvent = z.infer<typeof autoScalingEventSchema>;
export type SnsNotificationEvent = z.infer<typeof snsNotificationEventSchema>;
