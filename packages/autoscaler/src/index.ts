/** Scales NativeLink worker fleets from the scheduler's metrics, drains on scale-in; with a fleet simulator. */
export const packageName = "@nativelink-aws/autoscaler";
