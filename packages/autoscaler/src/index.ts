/** Scales NativeLink worker fleets from the scheduler's metrics, drains on scale-in; with a fleet simulator. */
export const packageName = "@nativelink-aws/autoscaler";

// The construct.
export { WorkerAutoscaler } from "./construct/worker-autoscaler.js";
export type { WorkerAutoscalerProps, WorkerGroupRef } from "./construct/props.js";
export { allowedLogRetentionDays } from "./construct/resolve-props.js";
export { autoscalerPolicy, type AutoscalerPolicyInput, type PolicyDocument, type PolicyStatement } from "./construct/policy-document.js";
export { STEP_BOUNDS } from "./construct/step-scaling.js";
export { defaultBundlePath } from "./construct/bundle.js";

// The policy (pure) and the fleets.
export {
  decideCapacity,
  requiredCapacity,
  estimateDrain,
  defaultPolicySettings,
  defaultPollIntervalSeconds,
  defaultFeedCheckSeconds,
  historyPeriodSeconds,
  type CapacityDecision,
  type CapacityPolicySettings,
  type DemandSample,
  type DrainEstimate,
  type FleetState,
  type RequiredCapacitySample,
} from "./policy/capacity-policy.js";
export { ARCHITECTURES, drainHookName, fleetDimension, type Architecture } from "./policy/fleets.js";

// The handler's pure parts.
export { parseFeed, FEED_METRICS, type FeedSnapshot, type ParseOptions, type StageCount } from "./handler/parse-feed.js";
export { FeedError, type FeedErrorKind } from "./handler/feed-error.js";
export {
  attributeDemand,
  completionShares,
  formatDemandSplit,
  parseDemandSplit,
  share,
  type DemandSplit,
  type FleetDemand,
  type GroupCapacity,
} from "./handler/demand.js";
export { loadConfig, pollIntervals, feedCheckIntervals, defaultFeedCheck, type HandlerConfig, type ScalingMode } from "./handler/config.js";
export { METRIC_NAMES, METRIC_NAMESPACE, metricDatums, type FleetMetrics } from "./handler/metrics.js";
export type { AutoscalerHandler, InvocationResult } from "./handler/handler.js";
export type { FleetOutcome, PollResult, PollTrigger } from "./handler/poll.js";

// The simulator.
export { simulate, type SimulationResult } from "./simulator/simulate.js";
export { autoscalerPolicy as autoscalerPolicyController, oracle, staticFleet, targetTracking } from "./simulator/controllers.js";
export { defaultFleetModel, type Controller, type ControllerObservation, type FeedSample, type FleetModel } from "./simulator/fleet-model.js";
export { comparePolicies, type ComparisonOptions, type PolicyComparison } from "./simulator/compare.js";
export { formatTrace, parseTrace, type Trace, type TraceAction } from "./simulator/trace.js";
export { generateTrace, traceSeeds, type TraceName } from "./simulator/trace-generator.js";
