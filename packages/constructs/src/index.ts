/**
 * CDK for Terraform constructs for a NativeLink cluster on AWS. The conventions the cluster shares with the other
 * packages (deployment names, the drain hook, metrics, output names, role.env keys) are @nativelink-aws/conventions'.
 */
export { SecureBucket, type SecureBucketProps } from "./bucket.js";
export { NativeLinkCluster } from "./cluster.js";
export type { NativeLinkClusterProps } from "./cluster-props.js";
export { NativeLinkEndpoints, type NativeLinkEndpointsProps } from "./endpoints.js";
export { NativeLinkPropError } from "./errors.js";
export { NativeLinkFleet, type NativeLinkFleetProps, type WeightedInstanceType } from "./fleet.js";
export {
  CAS_INSTANCE_TYPES,
  WORKER_INSTANCE_TYPES,
  type CasFleetOptions,
  type InstanceTypeChoice,
  type SchedulerFleetOptions,
  type WorkerFleetOptions,
} from "./fleet-options.js";
export { FleetRole, type BucketAccess, type FleetRoleProps } from "./fleet-role.js";
export type { Architecture, InstanceTypeFacts } from "./instance-types.js";
export {
  GRPC_HEALTH_CHECK,
  MAX_VERIFYING_LISTENERS,
  NativeLinkLoadBalancer,
  TLS13_SSL_POLICIES,
  type GrpcListener,
  type GrpcRoute,
  type NativeLinkLoadBalancerProps,
} from "./load-balancer.js";
export { validateDeploymentName } from "./names.js";
export { DEFAULT_INTERFACE_ENDPOINTS, NativeLinkNetwork, type INativeLinkNetwork, type NativeLinkNetworkProps } from "./network.js";
export { NATIVELINK_PORTS } from "./ports.js";
export { NativeLinkSecurityGroups, type NativeLinkSecurityGroupsProps } from "./security-groups.js";
export { NativeLinkStorage, type NativeLinkStorageProps } from "./storage.js";
export type { NativeLinkRole } from "./user-data.js";
export { NativeLinkChecks, type CheckFinding } from "./checks/native-link-checks.js";
export { checkTerraformJson } from "./checks/check-json.js";
export { COMPLETENESS_RULES, NATIVELINK_RULES } from "./checks/rule-pack.js";
export { DNS_RECORD_WRITER_TAG } from "./checks/rules/scheduler-host-writer.js";
export { roleEnvValue, userDataText } from "./checks/user-data-text.js";
export { PENDING_INPUT_MARKER, PendingInput, pendingInputMessage, type PendingInputProps } from "./pending-input.js";
export type { CheckRule, Severity, StackItem, StackView } from "./checks/rule.js";
export { ALLOWED_SSL_POLICIES } from "./checks/rules/listener-tls-policy.js";
export { suppressCheck, type CheckSuppression } from "./checks/suppressions.js";
export type {
  ClientAuthentication,
  ClientAuthenticationOff,
  ListenerTrustSources,
  S3ObjectLocation,
  TrustStorePem,
  TrustStoreS3,
  TrustStoreSource,
  VerifiedClientAuthentication,
} from "./client-authentication.js";
export { NativeLinkClientTrustStores, type NativeLinkClientTrustStoresProps } from "./client-trust-stores.js";
export { readClientCaDirectory, type ClientCaDirectory, type ReadClientCaDirectoryOptions } from "./client-ca-directory.js";
export { workerDrainSettings, type WorkerDrainSettings } from "./drain.js";
export { type WorkerWarmPoolOptions } from "./warm-pool.js";
export { VpcFlowLogs, type VpcFlowLogsProps } from "./flow-logs.js";
export { NativeLinkOperations, type NativeLinkOperationsProps } from "./operations/operations.js";
