import type { NativeLinkConfig } from "@nativelink-aws/nativelink-config";

/** What a worker's drain needs to know of the cluster: role.env lines of the boot contract (docs/DESIGN.md). */
export interface WorkerDrainSettings {
  /** `NATIVELINK_ADMIN_URL`: the scheduler's admin API, e.g. `http://scheduler.internal.example.com:50061/admin`. */
  readonly adminUrl: string;
  /** `NATIVELINK_SCHEDULER_NAME`: the scheduler that drains workers (its `worker_api` scheduler). */
  readonly schedulerName: string;
  /** `NATIVELINK_WORK_DIRECTORY`: the worker's `work_directory`, where each running action has a directory. */
  readonly workDirectory: string;
}

/** NativeLink serves the admin API under this path when the service's `path` is empty. */
const DEFAULT_ADMIN_PATH = "/admin";

/**
 * The drain settings, read from the configurations the cluster delivers: the scheduler's listener that serves both
 * `worker_api` and `admin` (workers reach it, clients do not), and the worker's work directory.
 * @throws Error when the scheduler serves no admin API beside its worker API, or there is no local worker.
 */
export function workerDrainSettings(scheduler: NativeLinkConfig, worker: NativeLinkConfig, schedulerHost: string): WorkerDrainSettings {
  const server = scheduler.servers.find((candidate) => candidate.services.worker_api && candidate.services.admin);
  const local = worker.workers?.[0]?.local;
  if (!server?.services.worker_api || !server.services.admin || !local) {
    throw new Error(
      "the scheduler configuration needs a listener with both worker_api and admin, and the worker configuration a local worker: the drain uses them",
    );
  }
  const port = /:(\d+)$/.exec(server.listener.http.socket_address)?.[1];
  if (port === undefined) throw new Error(`the scheduler's admin listener ${server.listener.http.socket_address} has no literal port`);
  const path = (server.services.admin.path || DEFAULT_ADMIN_PATH).replace(/\/+$/, "");
  return { adminUrl: `http://${schedulerHost}:${port}${path}`, schedulerName: server.services.worker_api.scheduler, workDirectory: local.work_directory };
}
