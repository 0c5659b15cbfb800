/**
 * `@nativelink-aws/autoscaler`: the construct. The simulator that judges the policy is `@nativelink-aws/autoscaler/simulator`;
 * the handler's pure parts (feed parsing, configuration, metrics) are `@nativelink-aws/autoscaler/handler`.
 */
export { WorkerAutoscaler } from "./construct/worker-autoscaler.js";
export type { WorkerAutoscalerProps, WorkerGroupRef } from "./construct/props.js";
export { STEP_BOUNDS } from "./construct/step-scaling.js";
export { defaultBundlePath } from "./construct/bundle.js";
export { NativeLinkPropError } from "@nativelink-aws/conventions";
