/**
 * @nativelink-aws/nativelink-config: a typed, validated model of NativeLink v1.6.6's JSON5
 * configuration, and role presets (CAS, scheduler, worker, local CAS proxy); the images lock and the published client CA
 * directory, contracts shared by the CLI and the stack. Pure: no AWS, no cdktf.
 */
export { NATIVELINK_VERSION } from "./version.js";
export { NativeLinkConfigError, formatPath } from "./errors.js";
export type { ConfigIssue } from "./errors.js";
export { parseConfig, parseConfigText, safeParseConfig } from "./parse.js";
export type { SafeParseResult } from "./parse.js";
export { renderConfig } from "./render.js";
export type { RenderOptions } from "./render.js";
export { BOOT_ENV, BOOT_ENV_DEFAULTS, BOOT_ENV_ROLES, bootEnvFor, bootPlaceholder } from "./boot-env.js";
export type { BootEnvKey, BootRole } from "./boot-env.js";

export * from "./schema/config.js";
export * from "./schema/stores.js";
export * from "./schema/store-leaves.js";
export * from "./schema/schedulers.js";
export * from "./schema/workers.js";
export * from "./schema/servers.js";

export { placeholder, parseWholePlaceholder, placeholdersIn } from "./values/placeholder.js";
export type { Placeholder } from "./values/placeholder.js";
export { parseSizeLiteral, U32_MAX, U64_MAX } from "./values/size.js";
export { parseDurationLiteral } from "./values/duration.js";

export { NAMES as PRESET_NAMES } from "./presets/stores.js";
export { CAS_WRITERS_PORT, casConfig, renderCasConfig } from "./presets/cas.js";
export type { CasOptions, ResolvedCasOptions } from "./presets/cas.js";
export type { ConsiderExpiredAfter } from "./presets/options.js";
export { SCHEDULER_PLATFORM_PROPERTIES, schedulerConfig, renderSchedulerConfig } from "./presets/scheduler.js";
export type { ResolvedSchedulerOptions, SchedulerOptions } from "./presets/scheduler.js";
export { ACTION_RUNNER_PATH, WORKER_PLATFORM_PROPERTIES, workerConfig, renderWorkerConfig } from "./presets/worker.js";
export { NATIVELINK_DEFAULT_MAX_ACTION_TIMEOUT_SECONDS, longestActionTimeoutSeconds } from "./action-timeout.js";
export type { ResolvedWorkerOptions, WorkerOptions } from "./presets/worker.js";
export { localCasProxyConfig, renderLocalCasProxyConfig } from "./presets/local-cas-proxy.js";
export type { LocalCasProxyOptions, ResolvedLocalCasProxyOptions } from "./presets/local-cas-proxy.js";

export * from "./release/index.js";

export * from "./client-ca/index.js";
