import {
  casConfig, type ConsiderExpiredAfter, type NativeLinkConfig, parseDurationLiteral, renderCasConfig, renderSchedulerConfig, renderWorkerConfig, schedulerConfig, workerConfig,
} from "@nativelink-aws/nativelink-config";
import { NATIVELINK_PORTS } from "./ports.js";
import type { NativeLinkRole } from "./user-data.js";

/** What the role configurations take from the cluster's props. */
export interface RoleConfigInputs {
  readonly instanceName: string;
  readonly casKeyPrefix: string;
  readonly acKeyPrefix: string;
  /** Per store, below the bucket's expiration rules; 0 when nothing expires. */
  readonly considerExpiredAfterSeconds: ConsiderExpiredAfter;
}

/**
 * The role's NativeLink configuration from the presets of @nativelink-aws/nativelink-config. Bucket,
 * region and scheduler host stay `${NATIVELINK_…}` placeholders that NativeLink expands from the
 * environment the bootstrap writes (the boot contract), so the text holds no Terraform references.
 */
export function roleConfig(role: NativeLinkRole, inputs: RoleConfigInputs): { config: NativeLinkConfig; text: string } {
  const layout = { casKeyPrefix: inputs.casKeyPrefix, acKeyPrefix: inputs.acKeyPrefix, considerExpiredAfterSeconds: inputs.considerExpiredAfterSeconds };
  switch (role) {
    case "cas": {
      const options = { ...layout, instanceName: inputs.instanceName, port: NATIVELINK_PORTS.cas };
      return { config: casConfig(options), text: renderCasConfig(options) };
    }
    case "scheduler": {
      const options = { ...layout, instanceName: inputs.instanceName, port: NATIVELINK_PORTS.schedulerPublic, workerApiPort: NATIVELINK_PORTS.schedulerWorkerApi };
      return { config: schedulerConfig(options), text: renderSchedulerConfig(options) };
    }
    case "worker": {
      const options = { ...layout, workerApiPort: NATIVELINK_PORTS.schedulerWorkerApi };
      return { config: workerConfig(options), text: renderWorkerConfig(options) };
    }
  }
}

/**
 * The longest `max_action_timeout_s` among a configuration's local workers, in seconds (NativeLink's default, 1200,
 * for a worker that sets none or 0); undefined when it has no workers. A drain must be allowed at least this long.
 */
export function longestActionTimeoutSeconds(config: NativeLinkConfig): number | undefined {
  const timeouts = (config.workers ?? []).map((worker) => {
    const value = "local" in worker ? worker.local.max_action_timeout_s : undefined;
    let seconds: number;
    if (value === undefined) seconds = 0;
    else if (typeof value === "number") seconds = value;
    else {
      const parsed = parseDurationLiteral(value);
      if (!parsed.ok) throw new Error(`max_action_timeout_s is ${JSON.stringify(value)}, which is not known at synth time (${parsed.reason}); give the drain its length explicitly`);
      seconds = Number(parsed.seconds);
    }
    // NativeLink reads 0 as "use the default", as it does a missing field.
    return seconds === 0 ? NATIVELINK_DEFAULT_MAX_ACTION_TIMEOUT_SECONDS : seconds;
  });
  return timeouts.length === 0 ? undefined : Math.max(...timeouts);
}

/** NativeLink v1.6.6's `DEFAULT_MAX_ACTION_TIMEOUT` (nativelink-worker/src/local_worker.rs). */
const NATIVELINK_DEFAULT_MAX_ACTION_TIMEOUT_SECONDS = 1200;
