/**
 * The conventions two or more nativelink-aws packages share, each defined once: change one here and the compiler
 * shows every package that follows it. No runtime dependencies: the Lambda bundles import it too.
 */
export {
  DEFAULT_DEPLOYMENT_NAME,
  DEPLOYMENT_NAME_PATTERN,
  DEPLOYMENT_NAME_RULE,
  TAG_KEYS,
  checkDeploymentName,
  deploymentNameProblem,
  deploymentTags,
  physicalName,
} from "./names.js";
export {
  ARCHITECTURES,
  DEFAULT_CAS_INSTANCE_TYPES,
  DEFAULT_WORKER_INSTANCE_TYPES,
  drainHookName,
  launchHookName,
  nativeLinkLogGroupName,
  VCPUS_PER_CAPACITY_UNIT_TAG,
  workerFleetId,
  type Architecture,
} from "./fleets.js";
export { METRIC_DIMENSIONS, METRIC_NAMES, METRIC_NAMESPACE, SCHEDULER_METRIC_EXPORT_INTERVAL_SECONDS, type MetricName } from "./metrics.js";
export { ROLE_ENV_KEYS, ROLE_ENV_PATH, type RoleEnvKey } from "./boot-contract.js";
export { CLUSTER_OUTPUTS, OUTPUT_PREFIX_PATTERN, workerGroupOutput, type ClusterOutputName } from "./outputs.js";
export { NativeLinkPropError, type PropProblem } from "./errors.js";
export {
  DEFAULT_WARM_POOL_MIN_SIZE,
  DEFAULT_WARM_POOL_REUSE_ON_SCALE_IN,
  warmPoolInstances,
  warmPoolSizes,
  type WarmPoolSizeOptions,
  type WarmPoolSizes,
} from "./warm-pool.js";
