/**
 * The environment the instance bootstrap writes to `/etc/nativelink/env` (read by
 * `nativelink.service` through `EnvironmentFile=`). The role presets reference these names as
 * `${NAME:-default}` placeholders, which NativeLink expands at start-up; this file is the only
 * place the names and their fallbacks are written.
 */
import { placeholder } from "./values/placeholder.js";

export const BOOT_ENV = {
  /** AWS region of the CAS bucket, e.g. `us-west-2` (from `role.env` `NATIVELINK_REGION`). Roles: all. */
  region: "NATIVELINK_REGION",
  /** Name of the CAS bucket (from `role.env` `NATIVELINK_BUCKET`). Roles: all. */
  bucket: "NATIVELINK_BUCKET",
  /** Host name or IP the worker dials for the worker API, e.g. `scheduler.internal.example.com`. Roles: worker. */
  schedulerHost: "NATIVELINK_SCHEDULER_HOST",
  /**
   * Bytes of RAM for the in-memory CAS cache in front of S3 (an integer, no unit). Roles: cas, scheduler.
   * Suggested: 90% of the memory budget (the original gave ~83% of free memory to caches).
   */
  casContentMemoryBytes: "NATIVELINK_CAS_CONTENT_MEMORY_BYTES",
  /** Bytes of RAM for the in-memory action-cache cache in front of S3. Roles: cas, scheduler. Suggested: 10% of the budget. */
  acMemoryBytes: "NATIVELINK_AC_MEMORY_BYTES",
  /**
   * Bytes of disk the worker's filesystem cache may fill under `/mnt/nativelink` (bytes, not KiB:
   * the original passed KiB here). Roles: worker. Suggested: 80% of the file system's size.
   */
  workerCacheBytes: "NATIVELINK_WORKER_CACHE_BYTES",
  /**
   * Most actions the worker runs at once (`max_inflight_tasks`). Roles: worker. The image's bootstrap writes the vCPU
   * count, at most the slots of the action-uid pool `nativelink-run-action` runs each action in (one uid per action).
   */
  maxInflightTasks: "NATIVELINK_MAX_INFLIGHT_TASKS",
} as const;

export type BootEnvKey = keyof typeof BOOT_ENV;
export type BootRole = "cas" | "scheduler" | "worker";

/**
 * What NativeLink uses when a variable is missing: enough to start and fail visibly rather than
 * harm anything. The bucket fallback contains ":", which no S3 bucket name (not even a legacy
 * one) may contain, so a missing bucket can never write to someone else's bucket.
 */
export const BOOT_ENV_DEFAULTS: Readonly<Record<BootEnvKey, string>> = {
  region: "us-east-1",
  bucket: "unset:NATIVELINK_BUCKET",
  schedulerHost: "127.0.0.1",
  casContentMemoryBytes: "1gb",
  acMemoryBytes: "100mb",
  workerCacheBytes: "2gb",
  maxInflightTasks: "1",
};

/** Which roles' configurations reference each variable. */
export const BOOT_ENV_ROLES: Readonly<Record<BootEnvKey, readonly BootRole[]>> = {
  region: ["cas", "scheduler", "worker"],
  bucket: ["cas", "scheduler", "worker"],
  schedulerHost: ["worker"],
  casContentMemoryBytes: ["cas", "scheduler"],
  acMemoryBytes: ["cas", "scheduler"],
  workerCacheBytes: ["worker"],
  maxInflightTasks: ["worker"],
};

/** `${NATIVELINK_…:-default}` for one boot variable. */
export function bootPlaceholder(key: BootEnvKey): string {
  return placeholder(BOOT_ENV[key], BOOT_ENV_DEFAULTS[key]);
}

/** The variable names a role's configuration reads. */
export function bootEnvFor(role: BootRole): string[] {
  return (Object.keys(BOOT_ENV) as BootEnvKey[]).filter((key) => BOOT_ENV_ROLES[key].includes(role)).map((key) => BOOT_ENV[key]);
}
