/** Keeps scheduler.internal.DOMAIN pointing at the live NativeLink scheduler: Lambda handler and its construct. */
export const packageName = "@nativelink-aws/dns-lambda";

export { DNS_RECORD_WRITER_TAG, SchedulerDnsRecord } from "./construct/scheduler-dns-record.js";
export { allowedLogRetentionDays, type SchedulerDnsRecordProps } from "./construct/props.js";
export { defaultBundlePath } from "./construct/bundle.js";
export { schedulerDnsPolicy, schedulerEventPattern, type PolicyDocument, type PolicyStatement } from "./construct/policy.js";
export { autoScalingDetailTypes } from "./handler/events.js";
export { decide, type Decision, type Observation, type GroupInstance, type Ec2Instance, type CurrentRecord, type Exclusion } from "./handler/decision.js";
export { parseTrigger, InvalidEventError, type Trigger } from "./handler/trigger.js";
export { loadConfig, defaultRecordTtlSeconds, type HandlerConfig } from "./handler/config.js";
export type { HandlerResult, SchedulerDnsHandler } from "./handler/handler.js";
