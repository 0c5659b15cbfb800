/** Where user data writes the role file the image's bootstrap, drain watcher and action wrapper read (docs/DESIGN.md). */
export const ROLE_ENV_PATH = "/etc/nativelink/role.env";

/** The keys of role.env that the cluster writes and the image reads: the boot contract. */
export const ROLE_ENV_KEYS = {
  role: "NATIVELINK_ROLE",
  deployment: "NATIVELINK_DEPLOYMENT",
  bucket: "NATIVELINK_BUCKET",
  region: "NATIVELINK_REGION",
  /** Workers: the name they dial, kept true by a DNS record writer (`NL-DNS-1`). */
  schedulerHost: "NATIVELINK_SCHEDULER_HOST",
  /** Workers: the termination lifecycle hook the drain watcher completes (`NL-ASG-1`). */
  lifecycleHook: "NATIVELINK_LIFECYCLE_HOOK",
  /** Workers with a warm pool: the launch lifecycle hook the bootstrap completes once the instance is ready. */
  launchHook: "NATIVELINK_LAUNCH_HOOK",
  adminUrl: "NATIVELINK_ADMIN_URL",
  schedulerName: "NATIVELINK_SCHEDULER_NAME",
  workDirectory: "NATIVELINK_WORK_DIRECTORY",
} as const;
export type RoleEnvKey = (typeof ROLE_ENV_KEYS)[keyof typeof ROLE_ENV_KEYS];
