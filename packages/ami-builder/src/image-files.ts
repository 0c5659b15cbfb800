import { readFileSync } from "node:fs";
import { ACTION_RUNNER_PATH } from "@nativelink-aws/nativelink-config";
import { fileURLToPath } from "node:url";

/** The files this package puts on the instance live in `image/`, next to `src/` and `dist/`. */
const IMAGE_DIRECTORY = new URL("../image/", import.meta.url);

/** The text of a file under `image/`, e.g. `bin/nativelink-bootstrap`. */
export function imageFile(relativePath: string): string {
  return readFileSync(new URL(relativePath, IMAGE_DIRECTORY), "utf8");
}

/** The absolute path of `image/` on this machine (the tests run the scripts from there). */
export function imageDirectory(): string {
  return fileURLToPath(IMAGE_DIRECTORY);
}

/** A file a component writes onto the build instance. */
export interface InstalledFile {
  /** Absolute path on the instance. */
  readonly path: string;
  /** Octal mode, e.g. "0755". */
  readonly mode: string;
  readonly content: string;
}

/** Where the boot contract (docs/DESIGN.md) puts each file of `image/`. */
export const INSTALL_PATHS = {
  /** What the scripts share (role.env, instance metadata), sourced from beside them (not executable). */
  common: "/usr/local/bin/nativelink-common",
  bootstrap: "/usr/local/bin/nativelink-bootstrap",
  /** The workers' part of the bootstrap, which sources it from its own directory (not executable). */
  bootstrapActions: "/usr/local/bin/nativelink-bootstrap-actions",
  /** The warm-pool part of the bootstrap (launch lifecycle hook), sourced the same way. */
  bootstrapLifecycle: "/usr/local/bin/nativelink-bootstrap-lifecycle",
  platformProperty: "/usr/local/bin/nativelink-platform-property",
  nativelink: "/usr/local/bin/nativelink",
  bootstrapUnit: "/etc/systemd/system/nativelink-bootstrap.service",
  nativelinkUnit: "/etc/systemd/system/nativelink.service",
  stopTimeoutDropIn: "/etc/systemd/system/nativelink.service.d/stop-timeout.conf",
  cloudInit: "/etc/cloud/cloud.cfg.d/90-nativelink.cfg",
  otelcol: "/usr/local/bin/otelcol-contrib",
  otelcolConfig: "/etc/nativelink/otelcol.yaml",
  otelcolUnit: "/etc/systemd/system/nativelink-otelcol.service",
  cloudWatchConfig: "/opt/aws/amazon-cloudwatch-agent/etc/nativelink.json",
  rsyslog: "/etc/rsyslog.d/30-nativelink.conf",
  logrotate: "/etc/logrotate.d/nativelink",
  drainWatcher: "/usr/local/bin/nativelink-drain-watcher",
  drainWatcherUnit: "/etc/systemd/system/nativelink-drain-watcher.service",
  drainWorker: "/usr/local/bin/nativelink-drain-worker",
  drainWaitDropIn: "/etc/systemd/system/nativelink-drain-watcher.service.d/drain-wait.conf",
  awsCli: "/usr/local/bin/aws",
  /** The workers' entrypoint (the worker preset's `actionRunner` default). */
  actionRunner: ACTION_RUNNER_PATH,
  /** Its interpreter: a setgid copy of bash, so that its exec is secure (see the script). Root only. */
  actionShell: "/usr/local/lib/nativelink/bash-secure-exec",
} as const;
