/** The worker role: runs actions, caches inputs on local NVMe, writes results to S3. */
import { z } from "zod";
import { NATIVELINK_DEFAULT_MAX_ACTION_TIMEOUT_SECONDS } from "../action-timeout.js";
import { bootPlaceholder } from "../boot-env.js";
import { parseConfig } from "../parse.js";
import { renderConfig } from "../render.js";
import type { NativeLinkConfig } from "../schema/config.js";
import type { WorkerProperty } from "../schema/workers.js";
import type { BucketLayoutOptions, SameShape } from "./options.js";
import {
  absoluteDirOption,
  bucketLayoutShape,
  checkPrefixes,
  literalOrPlaceholder,
  portOption,
  resolveOptions,
  secondsOption,
  strictOptions,
} from "./options.js";
import { NAMES, cached, diskCache, s3Store } from "./stores.js";
import { U32_MAX } from "../values/size.js";

/**
 * What a worker reports to the scheduler (matched as `SCHEDULER_PLATFORM_PROPERTIES` says).
 * NativeLink runs `query_cmd` without a shell and with an empty environment, so every program
 * is an absolute path; awk reads /proc/meminfo itself, so no pipeline (and no helper) is needed.
 * `memory_kb` is 80% of MemTotal, leaving room for NativeLink and the page cache, as the original did.
 * `cpu_arch` uses `uname -m` (x86_64, aarch64); the original's `uname -p` prints "unknown" on some distributions.
 */
export const WORKER_PLATFORM_PROPERTIES: Readonly<Record<string, WorkerProperty>> = {
  cpu_count: { query_cmd: "/usr/bin/nproc" },
  memory_kb: { query_cmd: "/usr/bin/awk '/MemTotal/ { printf \"%.0f\\n\", $2 * 0.8 }' /proc/meminfo" },
  cpu_arch: { query_cmd: "/usr/bin/uname -m" },
  kernel_version: { query_cmd: "/usr/bin/uname -r" },
  OSFamily: { values: [""] },
  "container-image": { values: [""] },
};

const hostName = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export interface WorkerOptions extends BucketLayoutOptions {
  /** Host the worker dials for the scheduler's worker API, or a placeholder. @default "${NATIVELINK_SCHEDULER_HOST:-127.0.0.1}" */
  schedulerHost?: string;
  /** Port of the scheduler's worker API. @default 50061 */
  workerApiPort?: number;
  /** Mount point of the NVMe file system; cache and work directory live under it. @default "/mnt/nativelink" */
  mountPath?: string;
  /** Longest an action may run, in seconds; a drain must wait at least this long. @default 1200 */
  maxActionTimeoutSeconds?: number;
  /**
   * Absolute path of the program every action runs through (NativeLink's `entrypoint`, not split into
   * arguments). The image's `nativelink-run-action` runs actions as an unprivileged user that the host
   * firewall keeps away from instance metadata. `false`: no entrypoint, actions run as NativeLink's own
   * user (root on the image); only for configurations used outside the image.
   * @default "/usr/local/bin/nativelink-run-action" (`ACTION_RUNNER_PATH`)
   */
  actionRunner?: string | false;
  /**
   * Most actions the worker runs at once (NativeLink's `max_inflight_tasks`; 0: no limit): a whole number, or a
   * placeholder. The image's bootstrap writes NATIVELINK_MAX_INFLIGHT_TASKS (the vCPU count, at most the slots of the
   * action-uid pool: `nativelink-run-action` gives each running action a uid of its own and refuses one when every
   * slot is taken). With no bootstrap the placeholder's default, 1, runs one action at a time.
   * @default "${NATIVELINK_MAX_INFLIGHT_TASKS:-1}"
   */
  maxInflightTasks?: number | string;
}

/** Where the image installs the actions' entrypoint, `nativelink-run-action` (@nativelink-aws/ami-builder). */
export const ACTION_RUNNER_PATH = "/usr/local/bin/nativelink-run-action";

const actionRunnerError =
  'expected an absolute path without spaces or placeholders, e.g. "/usr/local/bin/nativelink-run-action" ' +
  "(NativeLink does not split it into arguments), or false for no entrypoint";
const actionRunnerPath = z.string().regex(/^(\/[A-Za-z0-9_.@+-]+)+$/, { error: actionRunnerError });

const workerOptions = strictOptions({
  ...bucketLayoutShape(),
  schedulerHost: literalOrPlaceholder(
    "a host name or IPv4 address",
    hostName,
    "scheduler.internal.example.com",
    "${NATIVELINK_SCHEDULER_HOST:-127.0.0.1}",
  ).default(bootPlaceholder("schedulerHost")),
  workerApiPort: portOption.default(50061),
  mountPath: absoluteDirOption.default("/mnt/nativelink"),
  maxActionTimeoutSeconds: secondsOption().min(1, { error: "an action needs at least 1 second" }).default(NATIVELINK_DEFAULT_MAX_ACTION_TIMEOUT_SECONDS),
  actionRunner: z.union([actionRunnerPath, z.literal(false)], { error: actionRunnerError }).default(ACTION_RUNNER_PATH),
  maxInflightTasks: z
    .union(
      [
        z.number().int({ error: "expected a whole number of actions" }).min(0, { error: "expected 0 (no limit) or more actions" }).max(Number(U32_MAX)),
        literalOrPlaceholder("a whole number of actions", /^\d+$/, "8", "${NATIVELINK_MAX_INFLIGHT_TASKS:-1}"),
      ],
      { error: 'expected a whole number of actions (0: no limit), or a placeholder such as "${NATIVELINK_MAX_INFLIGHT_TASKS:-1}"' },
    )
    .default(bootPlaceholder("maxInflightTasks")),
}).superRefine(checkPrefixes);
export type ResolvedWorkerOptions = z.output<typeof workerOptions>;
const _workerOptionsMatch: SameShape<z.input<typeof workerOptions>, WorkerOptions> = true;

/**
 * One local worker: inputs cached on the NVMe file system (`<mountPath>/content_path-cas`,
 * sized by NATIVELINK_WORKER_CACHE_BYTES) in front of the S3 CAS, work directory beside it on the
 * same file system (hardlinks), results uploaded straight to the S3 action cache. No listeners.
 * Actions run through `actionRunner` (the image's `nativelink-run-action`) unless it is `false`.
 * @throws NativeLinkConfigError naming the option (`workerConfig.mountPath: ...`).
 */
export function workerConfig(options: WorkerOptions = {}): NativeLinkConfig {
  const o = resolveOptions("workerConfig", workerOptions, options);
  return parseConfig({
    stores: [
      { name: NAMES.acStore, ...s3Store(o, "ac") },
      { name: NAMES.workerCasStore, ...cached(diskCache(o.mountPath, bootPlaceholder("workerCacheBytes")), s3Store(o, "cas")) },
    ],
    workers: [
      {
        local: {
          worker_api_endpoint: { uri: `grpc://${o.schedulerHost}:${o.workerApiPort}` },
          max_action_timeout_s: o.maxActionTimeoutSeconds,
          max_inflight_tasks: o.maxInflightTasks,
          cas_fast_slow_store: NAMES.workerCasStore,
          upload_action_result: { ac_store: NAMES.acStore },
          ...(o.actionRunner === false ? {} : { entrypoint: o.actionRunner }),
          work_directory: `${o.mountPath}/work`,
          platform_properties: { ...WORKER_PLATFORM_PROPERTIES },
        },
      },
    ],
    servers: [],
  });
}

/** `workerConfig(options)` rendered as JSON5. */
export function renderWorkerConfig(options: WorkerOptions = {}): string {
  return renderConfig(workerConfig(options), { comment: ["Role: worker (remote execution)."] });
}
