/** Checks of `servers`: references, the AC/CAS store conflict, listeners, private worker API. */
import type { ConfigIssue } from "../errors.js";
import { formatPath } from "../errors.js";
import type { NativeLinkConfig } from "../schema/config.js";
import type { ServerConfig } from "../schema/servers.js";
import type { Path, StoreIndex } from "./store-graph.js";
import { undefinedScheduler, undefinedStore } from "./messages.js";

/** Services that answer build clients; `worker_api` must not share a listener with them. */
const CLIENT_SERVICES = ["cas", "ac", "capabilities", "execution", "bytestream"] as const;
const WILDCARD_HOSTS = new Set(["", "0.0.0.0", "::", "[::]"]);

export function checkServers(config: NativeLinkConfig, stores: StoreIndex, schedulers: ReadonlySet<string>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const store = (name: string, path: Path) => {
    if (!stores.has(name)) issues.push({ path: formatPath(path), message: undefinedStore(name) });
  };
  const scheduler = (name: string, path: Path) => {
    if (!schedulers.has(name)) issues.push({ path: formatPath(path), message: undefinedScheduler(name) });
  };

  config.servers.forEach((server, i) => {
    const at = (...keys: Path): Path => ["servers", i, "services", ...keys];
    const { services } = server;
    services.cas?.forEach((entry, j) => store(entry.cas_store, at("cas", j, "cas_store")));
    services.ac?.forEach((entry, j) => store(entry.ac_store, at("ac", j, "ac_store")));
    services.bytestream?.forEach((entry, j) => store(entry.cas_store, at("bytestream", j, "cas_store")));
    services.execution?.forEach((entry, j) => {
      store(entry.cas_store, at("execution", j, "cas_store"));
      scheduler(entry.scheduler, at("execution", j, "scheduler"));
    });
    services.capabilities?.forEach((entry, j) => {
      if (entry.remote_execution) scheduler(entry.remote_execution.scheduler, at("capabilities", j, "remote_execution", "scheduler"));
    });
    if (services.worker_api) scheduler(services.worker_api.scheduler, at("worker_api", "scheduler"));

    issues.push(...duplicateInstances(server, i), ...sharedAcCasStore(server, i, stores), ...workerApiExposure(server, i));
  });
  issues.push(...portConflicts(config.servers));
  return issues;
}

/** Two entries of one service for the same instance: NativeLink keeps one silently. */
function duplicateInstances(server: ServerConfig, i: number): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const service of CLIENT_SERVICES) {
    const seen = new Map<string, number>();
    server.services[service]?.forEach((entry, j) => {
      const instance = entry.instance_name ?? "";
      const first = seen.get(instance);
      if (first === undefined) seen.set(instance, j);
      else {
        issues.push({
          path: formatPath(["servers", i, "services", service, j, "instance_name"]),
          message: `instance "${instance}" is already served by services.${service}[${first}] on this server; keep one entry per instance`,
        });
      }
    });
  }
  return issues;
}

/**
 * NativeLink (v1.5+) refuses an `ac` and a `cas` service of one instance on one server that name
 * the same store. We also compare after following top-level `ref_store` aliases.
 */
function sharedAcCasStore(server: ServerConfig, i: number, stores: StoreIndex): ConfigIssue[] {
  const finalName = (name: string) => {
    const resolved = stores.resolveName(name);
    return resolved.ok ? resolved.name : name;
  };
  const casByInstance = new Map<string, string>();
  for (const entry of server.services.cas ?? []) casByInstance.set(entry.instance_name ?? "", entry.cas_store);
  const issues: ConfigIssue[] = [];
  server.services.ac?.forEach((entry, j) => {
    const instance = entry.instance_name ?? "";
    const cas = casByInstance.get(instance);
    if (cas === undefined || finalName(cas) !== finalName(entry.ac_store)) return;
    const same = cas === entry.ac_store ? `"${cas}"` : `"${finalName(cas)}" (cas_store "${cas}", ac_store "${entry.ac_store}")`;
    issues.push({
      path: formatPath(["servers", i, "services", "ac", j, "ac_store"]),
      message: `the ac and cas services of instance "${instance}" share store ${same}; NativeLink refuses this, give the action cache its own store`,
    });
  });
  return issues;
}

/** The worker API trusts its callers; NativeLink documents it must sit on its own private listener. */
function workerApiExposure(server: ServerConfig, i: number): ConfigIssue[] {
  if (!server.services.worker_api) return [];
  const shared = CLIENT_SERVICES.filter((service) => server.services[service] !== undefined);
  if (shared.length === 0) return [];
  return [
    {
      path: formatPath(["servers", i, "services", "worker_api"]),
      message: `worker_api shares this listener with ${shared.join(", ")}; serve worker_api on its own private server (only admin and health may join it)`,
    },
  ];
}

/** Two listeners on one port fail at start-up with "address already in use". */
function portConflicts(servers: readonly ServerConfig[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const bound: { host: string; port: string; index: number; address: string }[] = [];
  servers.forEach((server, i) => {
    const address = server.listener.http.socket_address;
    const match = /^(.*):(\d+)$/.exec(address);
    if (!match || address.includes("$")) return;
    const [, host = "", port = ""] = match;
    const clash = bound.find((other) => other.port === port && (other.host === host || WILDCARD_HOSTS.has(other.host) || WILDCARD_HOSTS.has(host)));
    if (clash) {
      issues.push({
        path: formatPath(["servers", i, "listener", "http", "socket_address"]),
        message: `port ${port} is already bound by servers[${clash.index}] ("${clash.address}"); give each server its own port`,
      });
    }
    bound.push({ host, port, index: i, address });
  });
  return issues;
}
