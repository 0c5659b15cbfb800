/** Workers: `[{local: {...}}]` (`LocalWorkerConfig` in nativelink-config/src/cas_server.rs at v1.6.6). */
import { z } from "zod";
import { duration, expandedString, integer, literalString, reference } from "../values/fields.js";
import { ClientTlsConfig } from "./store-leaves.js";
import { oneKindOf, sortedRecord, strict } from "./strict.js";

/**
 * A worker platform property: fixed `values` (shell-expanded), or a `query_cmd` whose output
 * lines become the values. NativeLink splits `query_cmd` like a shell would (shlex) but runs it
 * without a shell and with an empty environment, and does not expand placeholders in it.
 */
export type WorkerProperty = { values: string[] } | { query_cmd: string };
export const WorkerProperty: z.ZodType<WorkerProperty> = oneKindOf<WorkerProperty>("platform property", {
  values: z.array(expandedString()),
  query_cmd: literalString(),
});

/** Where the value of an `additional_environment` variable comes from. */
export const EnvironmentSource = z.union(
  [
    z.enum(["from_environment", "timeout_millis", "side_channel_file", "action_directory"]),
    strict({ property: z.string() }),
    strict({ value: expandedString() }),
  ],
  { error: 'expected "from_environment", "timeout_millis", "side_channel_file", "action_directory", {property} or {value}' },
);

export const UploadStrategy = z.enum(["success_only", "never", "everything", "failures_only"]);

export const UploadActionResultConfig = strict({
  /** AC store that receives results; NativeLink does not expand this name. */
  ac_store: reference("store").optional(),
  upload_ac_results_strategy: UploadStrategy.optional(),
  historical_results_store: reference("store").optional(),
  upload_historical_results_strategy: UploadStrategy.optional(),
  success_message_template: expandedString().optional(),
  failure_message_template: expandedString().optional(),
});

export const WorkerApiEndpoint = strict({
  /** e.g. `grpc://scheduler.internal.example.com:50061`. */
  uri: expandedString(),
  /** Request timeout in seconds (a float, not expanded). */
  timeout: z.number().positive().optional(),
  tls_config: ClientTlsConfig.optional(),
});

export const LocalWorkerConfig = strict({
  /**
   * Prefix of the worker id, which is this name followed directly by a UUID; NativeLink's default is "" (a bare UUID).
   * `worker_<index>` is only the name of the worker's log span.
   */
  name: expandedString().optional(),
  worker_api_endpoint: WorkerApiEndpoint,
  /** Longest an action may run (default 20 minutes). */
  max_action_timeout_s: duration().optional(),
  max_upload_timeout_s: duration().optional(),
  /** 0 means no limit. */
  max_inflight_tasks: integer().optional(),
  timeout_handled_externally: z.boolean().optional(),
  /** Wrapper command prepended to every action (not a shell). */
  entrypoint: expandedString().optional(),
  experimental_precondition_script: literalString().optional(),
  /** Must resolve to a `fast_slow` store whose `fast` is a `filesystem` store. */
  cas_fast_slow_store: reference("store"),
  upload_action_result: UploadActionResultConfig.optional(),
  /** Purged at start-up; must be on the same filesystem as the fast store's content_path (hardlinks). */
  work_directory: expandedString(),
  platform_properties: sortedRecord(WorkerProperty),
  additional_environment: sortedRecord(EnvironmentSource).optional(),
  use_namespaces: z.boolean().optional(),
  use_mount_namespace: z.boolean().optional(),
});
export type LocalWorkerConfig = z.output<typeof LocalWorkerConfig>;

export const WorkerConfig = strict({ local: LocalWorkerConfig });
export type WorkerConfig = z.output<typeof WorkerConfig>;
