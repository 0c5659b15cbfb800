/** Checks of `workers`: the store a worker needs, its directories, platform property commands. */
import type { ConfigIssue } from "../errors.js";
import { formatPath } from "../errors.js";
import type { NativeLinkConfig } from "../schema/config.js";
import type { LocalWorkerConfig } from "../schema/workers.js";
import type { Path, StoreIndex } from "./store-graph.js";
import { describeKind, duplicateName, overlaps, through, undefinedStore } from "./messages.js";
import { shlexSplit } from "./shlex.js";

const HARDLINKS = "NativeLink hardlinks action inputs from it";

export function checkWorkers(config: NativeLinkConfig, stores: StoreIndex): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const names = new Map<string, number>();
  config.workers?.forEach(({ local }, i) => {
    const at = (...keys: Path) => formatPath(["workers", i, "local", ...keys]);
    if (local.name !== undefined) {
      const first = names.get(local.name);
      if (first === undefined) names.set(local.name, i);
      else issues.push({ path: at("name"), message: duplicateName("worker", local.name, `workers[${first}]`) });
    }
    const { ac_store, historical_results_store } = local.upload_action_result ?? {};
    if (ac_store !== undefined && !stores.has(ac_store)) {
      issues.push({ path: at("upload_action_result", "ac_store"), message: undefinedStore(ac_store) });
    }
    if (historical_results_store !== undefined && !stores.has(historical_results_store)) {
      issues.push({ path: at("upload_action_result", "historical_results_store"), message: undefinedStore(historical_results_store) });
    }
    issues.push(...checkCasStore(local, stores, at), ...checkQueryCommands(local, at));
  });
  return issues;
}

/**
 * `cas_fast_slow_store` must be a `fast_slow` store whose `fast` is a `filesystem` store.
 * Like NativeLink (`downcast_ref`), we follow `ref_store` links on both levels and nothing else.
 */
function checkCasStore(local: LocalWorkerConfig, stores: StoreIndex, at: (...keys: Path) => string): ConfigIssue[] {
  const name = local.cas_fast_slow_store;
  const path = at("cas_fast_slow_store");
  const outer = stores.resolveName(name);
  if (!outer.ok) {
    // A broken link further down the chain is reported where that ref_store is written.
    return outer.via.length === 1 ? [{ path, message: undefinedStore(name) }] : [];
  }
  if (!("fast_slow" in outer.spec)) {
    return [
      {
        path,
        message:
          `store "${name}"${through(outer.via.slice(1))} is ${describeKind(outer.spec)}; ` +
          `the worker needs a fast_slow store whose fast store is a filesystem store (${HARDLINKS})`,
      },
    ];
  }
  const fast = stores.resolve(outer.spec.fast_slow.fast);
  if (!fast.ok) return []; // a missing or looping ref_store is reported where it is written
  if (!("filesystem" in fast.spec)) {
    return [
      {
        path,
        message: `the fast store of "${outer.name}" is ${describeKind(fast.spec)}${through(fast.via)}; make it a filesystem store (${HARDLINKS})`,
      },
    ];
  }
  const { content_path, temp_path } = fast.spec.filesystem;
  for (const [field, dir] of [
    ["content_path", content_path],
    ["temp_path", temp_path],
  ] as const) {
    if (overlaps(local.work_directory, dir)) {
      return [
        {
          path: at("work_directory"),
          message:
            `work_directory "${local.work_directory}" overlaps the fast store's ${field} "${dir}"; ` +
            `NativeLink empties work_directory at start-up, so use a sibling directory on the same filesystem`,
        },
      ];
    }
  }
  return [];
}

/** `query_cmd` runs without a shell and with an empty environment (no PATH). */
function checkQueryCommands(local: LocalWorkerConfig, at: (...keys: Path) => string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [property, source] of Object.entries(local.platform_properties)) {
    if (!("query_cmd" in source)) continue;
    const words = shlexSplit(source.query_cmd);
    const problem =
      words === undefined
        ? "unbalanced quotes or a trailing backslash; NativeLink cannot split this command"
        : words.length === 0
          ? "empty command; NativeLink needs a program to run"
          : !words[0]!.startsWith("/")
            ? `"${words[0]}" is not an absolute path; NativeLink runs query_cmd without a ` +
              `shell and with an empty environment (no PATH), so write e.g. /usr/bin/${words[0]}`
            : undefined;
    if (problem) issues.push({ path: at("platform_properties", property, "query_cmd"), message: problem });
  }
  return issues;
}
