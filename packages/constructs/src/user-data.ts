import { ROLE_ENV_KEYS as K, ROLE_ENV_PATH } from "@nativelink-aws/conventions";
import type { WorkerDrainSettings } from "./drain.js";

/** The roles an instance can play; user data, tags and the bootstrap agree on these words. */
export type NativeLinkRole = "cas" | "scheduler" | "worker";

export interface BootUserDataProps {
  readonly role: NativeLinkRole;
  readonly deploymentName: string;
  readonly bucketName: string;
  readonly region: string;
  /** Workers only: the host name of the scheduler's worker API. */
  readonly schedulerHost?: string;
  /** Workers only: the termination lifecycle hook the drain watcher completes. */
  readonly lifecycleHookName?: string;
  /** Workers with a warm pool: the launch lifecycle hook the bootstrap completes (`NATIVELINK_LAUNCH_HOOK`). */
  readonly launchHookName?: string;
  /** Workers only: how the drain reaches the scheduler's admin API and sees the worker's running actions. */
  readonly drain?: WorkerDrainSettings;
  /** The role's NativeLink configuration as JSON5 text (rendered by @nativelink-aws/nativelink-config). */
  readonly configText: string;
}

const HEREDOC = /^NATIVELINK_(CONFIG|ROLE)_EOF$/m;

/**
 * User data per the boot contract (docs/DESIGN.md): write the role's NativeLink configuration and
 * `role.env`, then start `nativelink.service`, whose bootstrap prepares disks and sizes first.
 */
export function bootUserData(props: BootUserDataProps): string {
  if (HEREDOC.test(props.configText)) throw new Error("NativeLink configuration text contains a here-document delimiter line");
  const roleEnv = [
    `${K.role}=${props.role}`,
    `${K.deployment}=${props.deploymentName}`,
    `${K.bucket}=${props.bucketName}`,
    `${K.region}=${props.region}`,
    ...(props.schedulerHost ? [`${K.schedulerHost}=${props.schedulerHost}`] : []),
    ...(props.lifecycleHookName ? [`${K.lifecycleHook}=${props.lifecycleHookName}`] : []),
    ...(props.launchHookName ? [`${K.launchHook}=${props.launchHookName}`] : []),
    ...(props.drain
      ? [`${K.adminUrl}=${props.drain.adminUrl}`, `${K.schedulerName}=${props.drain.schedulerName}`, `${K.workDirectory}=${props.drain.workDirectory}`]
      : []),
  ];
  return [
    "#!/bin/bash",
    "# NativeLink boot contract: configuration and role files, then the service (see docs/DESIGN.md).",
    "set -euo pipefail",
    "install -d -m 0755 /etc/nativelink",
    "cat > /etc/nativelink/config.json5 <<'NATIVELINK_CONFIG_EOF'",
    props.configText.trimEnd(),
    "NATIVELINK_CONFIG_EOF",
    `cat > ${ROLE_ENV_PATH} <<'NATIVELINK_ROLE_EOF'`,
    ...roleEnv,
    "NATIVELINK_ROLE_EOF",
    `chmod 0644 /etc/nativelink/config.json5 ${ROLE_ENV_PATH}`,
    "systemctl daemon-reload",
    "systemctl enable nativelink-bootstrap.service nativelink.service",
    "systemctl restart nativelink.service",
    "",
  ].join("\n");
}
