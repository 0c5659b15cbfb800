/** Keeps scheduler.internal.DOMAIN pointing at the live NativeLink scheduler: the construct that deploys the Lambda handler. */
export { DNS_RECORD_WRITER_TAG, SchedulerDnsRecord } from "./construct/scheduler-dns-record.js";
export type { SchedulerDnsRecordProps } from "./construct/props.js";
export { defaultBundlePath } from "./construct/bundle.js";
export { NativeLinkPropError } from "@nativelink-aws/conventions";
