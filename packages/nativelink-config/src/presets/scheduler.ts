/** The scheduler role: remote execution for clients, the worker API for workers. */
import type { z } from "zod";
import { parseConfig } from "../parse.js";
import { renderConfig } from "../render.js";
import type { NativeLinkConfig } from "../schema/config.js";
import type { PropertyType } from "../schema/schedulers.js";
import type { BucketLayoutOptions, SameShape } from "./options.js";
import { checkPrefixes, checkSecondPort, clusterServerShape, portOption, resolveOptions, strictOptions } from "./options.js";
import { NAMES, memoryCachedBucketStores } from "./stores.js";

/**
 * How the scheduler matches the properties workers report (see `workerConfig`): as the original
 * deployment did, CPU count and memory are lower bounds, architecture and kernel must be equal.
 */
export const SCHEDULER_PLATFORM_PROPERTIES: Readonly<Record<string, PropertyType>> = {
  cpu_count: "minimum",
  memory_kb: "minimum",
  cpu_arch: "exact",
  kernel_version: "exact",
  OSFamily: "priority",
  "container-image": "priority",
};

export interface SchedulerOptions extends BucketLayoutOptions {
  /** REAPI instance name (Bazel `--remote_instance_name`). @default "main" */
  instanceName?: string;
  /** Address both listeners bind. @default "0.0.0.0" */
  listenAddress?: string;
  /**
   * Port of the public gRPC listener (execution, capabilities, ac, health). Its action cache is
   * read-only: results are written by the workers, straight to the bucket. @default 50052
   */
  port?: number;
  /** Port of the private listener (worker_api, admin, health); workers dial it. @default 50061 */
  workerApiPort?: number;
  /** Path of the health route on both listeners. @default "/status" */
  healthPath?: string;
}

const schedulerOptions = strictOptions({
  ...clusterServerShape(50052),
  workerApiPort: portOption.default(50061),
}).superRefine((options, ctx) => {
  checkPrefixes(options, ctx);
  checkSecondPort(options, "workerApiPort", "the worker API needs its own private port (e.g. 50061)", ctx);
});
export type ResolvedSchedulerOptions = z.output<typeof schedulerOptions>;
const _schedulerOptionsMatch: SameShape<z.input<typeof schedulerOptions>, SchedulerOptions> = true;

/**
 * A simple scheduler. The public listener serves execution, capabilities (with remote execution),
 * the action cache (as the original did, but read-only: workers write results to the bucket) and health; the private one serves worker_api, admin
 * (unauthenticated drain API) and health. The stores are what the execution service reads.
 * @throws NativeLinkConfigError naming the option (`schedulerConfig.workerApiPort: ...`).
 */
export function schedulerConfig(options: SchedulerOptions = {}): NativeLinkConfig {
  const o = resolveOptions("schedulerConfig", schedulerOptions, options);
  const instance_name = o.instanceName;
  const scheduler = NAMES.scheduler;
  return parseConfig({
    stores: memoryCachedBucketStores(o, { verifyCasUploads: false }),
    schedulers: [{ name: scheduler, simple: { supported_platform_properties: { ...SCHEDULER_PLATFORM_PROPERTIES } } }],
    servers: [
      {
        name: "public",
        listener: { http: { socket_address: `${o.listenAddress}:${o.port}` } },
        services: {
          ac: [{ instance_name, ac_store: NAMES.acStore, read_only: true }],
          execution: [{ instance_name, cas_store: NAMES.casStore, scheduler }],
          capabilities: [{ instance_name, remote_execution: { scheduler } }],
          health: { path: o.healthPath },
        },
      },
      {
        name: "worker_api",
        listener: { http: { socket_address: `${o.listenAddress}:${o.workerApiPort}` } },
        services: { worker_api: { scheduler }, admin: {}, health: { path: o.healthPath } },
      },
    ],
  });
}

/** `schedulerConfig(options)` rendered as JSON5. */
export function renderSchedulerConfig(options: SchedulerOptions = {}): string {
  return renderConfig(schedulerConfig(options), { comment: ["Role: scheduler (remote execution)."] });
}
