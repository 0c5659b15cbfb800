/** `@nativelink-aws/autoscaler/simulator`: the capacity policy (pure) and the trace-driven simulator that judges it against peers. */
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
} from "../policy/capacity-policy.js";
export { simulate, type SimulationResult } from "../simulator/simulate.js";
export { autoscalerPolicy as autoscalerPolicyController, oracle, staticFleet, targetTracking } from "../simulator/controllers.js";
export {
  defaultFleetModel,
  imageExportIntervalSeconds,
  shippedFleetModel,
  withWarmPool,
  type Controller,
  type ControllerObservation,
  type FeedSample,
  type FleetModel,
} from "../simulator/fleet-model.js";
export { comparePolicies, type ComparisonOptions, type PolicyComparison } from "../simulator/compare.js";
export { formatTrace, parseTrace, type Trace, type TraceAction } from "../simulator/trace.js";
export { generateTrace, traceSeeds, type TraceName } from "../simulator/trace-generator.js";
export { evaluationFamilies, evaluationTrace, tuningTrace, type EvaluationFamily } from "../simulator/evaluation-traces.js";
export { evaluateDay, feedBound, holdBound, reactiveBound, type DayEvaluation, type DayVerdict, type EvaluationOptions } from "../simulator/evaluate.js";
export { defaultWarmPool, warmPoolTarget, type WarmPoolModel } from "../simulator/warm-pool.js";
export { stepFleet, type FleetMemory, type FleetReading } from "../policy/fleet-step.js";
