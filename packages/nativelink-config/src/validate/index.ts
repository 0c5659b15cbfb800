/** Rules NativeLink checks at start-up (and a few it should), run after the schema passed. */
import type { ConfigIssue } from "../errors.js";
import { formatPath } from "../errors.js";
import type { NativeLinkConfig } from "../schema/config.js";
import { duplicateName } from "./messages.js";
import { checkServers } from "./servers.js";
import { StoreIndex } from "./store-graph.js";
import { checkStores } from "./stores.js";
import { checkWorkers } from "./workers.js";

export function crossCheck(config: NativeLinkConfig): ConfigIssue[] {
  const stores = new StoreIndex(config.stores);
  const schedulers = new Map<string, number>();
  const issues: ConfigIssue[] = [];
  config.schedulers?.forEach((scheduler, i) => {
    const first = schedulers.get(scheduler.name);
    if (first === undefined) schedulers.set(scheduler.name, i);
    else issues.push({ path: formatPath(["schedulers", i, "name"]), message: duplicateName("scheduler", scheduler.name, `schedulers[${first}]`) });
  });
  issues.push(...checkStores(config, stores), ...checkServers(config, stores, new Set(schedulers.keys())), ...checkWorkers(config, stores));
  return issues;
}
