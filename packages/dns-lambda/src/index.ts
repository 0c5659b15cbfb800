/** Keeps scheduler.internal.DOMAIN pointing at the live NativeLink scheduler: Lambda handler and its construct. */
export const packageName = "@nativelink-aws/dns-lambda";
