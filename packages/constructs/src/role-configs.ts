import type { NativeLinkRole } from "./user-data.js";

/** What the cluster knows at synth time that every role's NativeLink configuration needs. */
export interface RoleConfigInputs {
  readonly bucket: string;
  readonly region: string;
  readonly instanceName: string;
  readonly casKeyPrefix: string;
  readonly acKeyPrefix: string;
  readonly schedulerHost: string;
}

/** Renders the role's NativeLink configuration with @nativelink-aws/nativelink-config's presets. */
export function renderRoleConfig(role: NativeLinkRole, inputs: RoleConfigInputs): string {
  // Placeholder until the presets land (replaced in the same change).
  return JSON.stringify({ role, ...inputs });
}
