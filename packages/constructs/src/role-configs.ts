import {
  casConfig,
  type ConsiderExpiredAfter,
  type NativeLinkConfig,
  renderCasConfig,
  renderSchedulerConfig,
  renderWorkerConfig,
  schedulerConfig,
  workerConfig,
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
      const options = { ...layout, instanceName: inputs.instanceName, port: NATIVELINK_PORTS.cas, writerPort: NATIVELINK_PORTS.casWriters };
      return { config: casConfig(options), text: renderCasConfig(options) };
    }
    case "scheduler": {
      const options = {
        ...layout,
        instanceName: inputs.instanceName,
        port: NATIVELINK_PORTS.schedulerPublic,
        workerApiPort: NATIVELINK_PORTS.schedulerWorkerApi,
      };
      return { config: schedulerConfig(options), text: renderSchedulerConfig(options) };
    }
    case "worker": {
      const options = { ...layout, workerApiPort: NATIVELINK_PORTS.schedulerWorkerApi };
      return { config: workerConfig(options), text: renderWorkerConfig(options) };
    }
  }
}
