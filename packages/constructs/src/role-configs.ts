import { renderCasConfig, renderSchedulerConfig, renderWorkerConfig } from "@nativelink-aws/nativelink-config";
import { NATIVELINK_PORTS } from "./ports.js";
import type { NativeLinkRole } from "./user-data.js";

/** What the role configurations take from the cluster's props. */
export interface RoleConfigInputs {
  readonly instanceName: string;
  readonly casKeyPrefix: string;
  readonly acKeyPrefix: string;
}

/**
 * Renders the role's NativeLink configuration with the presets of @nativelink-aws/nativelink-config.
 * Bucket, region and scheduler host stay `${NATIVELINK_…}` placeholders that NativeLink expands from
 * the environment the bootstrap writes (the boot contract), so the text holds no Terraform references.
 */
export function renderRoleConfig(role: NativeLinkRole, inputs: RoleConfigInputs): string {
  const layout = { casKeyPrefix: inputs.casKeyPrefix, acKeyPrefix: inputs.acKeyPrefix };
  switch (role) {
    case "cas":
      return renderCasConfig({ ...layout, instanceName: inputs.instanceName, port: NATIVELINK_PORTS.cas });
    case "scheduler":
      return renderSchedulerConfig({ ...layout, instanceName: inputs.instanceName, port: NATIVELINK_PORTS.schedulerPublic, workerApiPort: NATIVELINK_PORTS.schedulerWorkerApi });
    case "worker":
      return renderWorkerConfig({ ...layout, workerApiPort: NATIVELINK_PORTS.schedulerWorkerApi });
  }
}
