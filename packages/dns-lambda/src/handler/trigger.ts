import type { ZodMiniType } from "zod/mini";
import {
  autoScalingEventSchema,
  directSyncEventSchema,
  scheduledEventSchema,
  snsNotificationEventSchema,
  type AutoScalingEvent,
  type NotificationMessage,
  type SnsNotificationEvent,
} from "./events.js";
import { describeIssue, formatIssues } from "@nativelink-aws/conventions/lambda-handler";

/** What started this invocation, reduced to what the decision needs. */
export interface Trigger {
  readonly kind: "auto-scaling-event" | "sns-notification" | "scheduled-sweep" | "deploy-sync";
  /** Human-readable summary for logs, e.g. `EC2 Instance Terminate Successful i-0abc`. */
  readonly description: string;
  /** Groups the event speaks of; must all be the configured scheduler group. Empty for sweeps and syncs. */
  readonly autoScalingGroupNames: readonly string[];
  /** Instances the event says are leaving: kept out of the record even while their state lags. */
  readonly terminatingInstanceIds: readonly string[];
}

/** The invocation's payload is not one this function accepts; nothing was called. */
export class InvalidEventError extends Error {
  override readonly name = "InvalidEventError";
}

const accepted =
  "Accepted: an EventBridge Auto Scaling event (EC2 Instance Launch/Terminate Successful, EC2 Instance-launch/terminate Lifecycle Action), " +
  "Auto Scaling notifications delivered by SNS, an EventBridge Scheduled Event, or {} for a sync.";

/** Recognises the event by its envelope, then validates it fully; throws InvalidEventError naming what was wrong. */
export function parseTrigger(event: unknown): Trigger {
  if (typeof event !== "object" || event === null || Array.isArray(event)) {
    throw new InvalidEventError(
      `The event is not a JSON object (got ${event === null ? "null" : Array.isArray(event) ? "an array" : typeof event}). ${accepted}`,
    );
  }
  const envelope = event as Record<string, unknown>;
  if ("Records" in envelope) return fromSns(validate(snsNotificationEventSchema, event, "SNS notification event"));
  if (envelope.source === "aws.autoscaling") return fromAutoScaling(validate(autoScalingEventSchema, event, "Auto Scaling event"));
  if (envelope.source === "aws.events") {
    validate(scheduledEventSchema, event, "scheduled event");
    return { kind: "scheduled-sweep", description: "Scheduled Event", autoScalingGroupNames: [], terminatingInstanceIds: [] };
  }
  if (Object.keys(envelope).length === 0) {
    validate(directSyncEventSchema, event, "sync request");
    return { kind: "deploy-sync", description: "direct invocation {}", autoScalingGroupNames: [], terminatingInstanceIds: [] };
  }
  const keys = Object.keys(envelope).slice(0, 8).join(", ");
  const source = typeof envelope.source === "string" ? ` and source "${envelope.source}"` : " and no source";
  throw new InvalidEventError(`The event is not one this function accepts: it has keys [${keys}]${source}. ${accepted}`);
}

function validate<T>(schema: ZodMiniType<T>, event: unknown, what: string): T {
  const parsed = schema.safeParse(event, { error: describeIssue });
  if (parsed.success) return parsed.data;
  throw new InvalidEventError(`Invalid ${what}: ${formatIssues(parsed.error.issues, "(event)").join("; ")}. ${accepted}`);
}

function fromAutoScaling(event: AutoScalingEvent): Trigger {
  const detailType = event["detail-type"];
  const leaving = detailType === "EC2 Instance Terminate Successful" || detailType === "EC2 Instance-terminate Lifecycle Action";
  return {
    kind: "auto-scaling-event",
    description: `${detailType} ${event.detail.EC2InstanceId}`,
    autoScalingGroupNames: [event.detail.AutoScalingGroupName],
    terminatingInstanceIds: leaving ? [event.detail.EC2InstanceId] : [],
  };
}

function fromSns(event: SnsNotificationEvent): Trigger {
  const messages = event.Records.map((record) => record.Sns.Message);
  return {
    kind: "sns-notification",
    description: messages.map(describeMessage).join(", "),
    autoScalingGroupNames: [...new Set(messages.map((message) => message.AutoScalingGroupName))],
    terminatingInstanceIds: messages.flatMap((message) => (isLeaving(message) && "EC2InstanceId" in message ? [message.EC2InstanceId] : [])),
  };
}

function isLeaving(message: NotificationMessage): boolean {
  if ("LifecycleTransition" in message) return message.LifecycleTransition === "autoscaling:EC2_INSTANCE_TERMINATING";
  return message.Event === "autoscaling:EC2_INSTANCE_TERMINATE";
}

function describeMessage(message: NotificationMessage): string {
  const what = "LifecycleTransition" in message ? message.LifecycleTransition : message.Event;
  return "EC2InstanceId" in message ? `${what} ${message.EC2InstanceId}` : what;
}
