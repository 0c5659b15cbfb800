/** Checks across the `stores` list: unique names, references that resolve, no cycles, sane paths. */
import type { ConfigIssue } from "../errors.js";
import { formatPath } from "../errors.js";
import type { NativeLinkConfig } from "../schema/config.js";
import type { Path, StoreIndex } from "./store-graph.js";
import { walkStore } from "./store-graph.js";
import { duplicateName, overlaps, undefinedStore } from "./messages.js";

interface Edge {
  target: number;
  path: Path;
}

export function checkStores(config: NativeLinkConfig, index: StoreIndex): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const edges: Edge[][] = config.stores.map(() => []);

  config.stores.forEach((store, i) => {
    const first = index.indexOf(store.name);
    if (first !== undefined && first !== i) {
      issues.push({ path: formatPath(["stores", i, "name"]), message: duplicateName("store", store.name, `stores[${first}]`) });
    }
    walkStore(store, ["stores", i], (spec, path) => {
      if ("ref_store" in spec) {
        const namePath = [...path, "ref_store", "name"];
        const target = index.indexOf(spec.ref_store.name);
        if (target === undefined) issues.push({ path: formatPath(namePath), message: undefinedStore(spec.ref_store.name) });
        else edges[i]!.push({ target, path: namePath });
      }
      if ("filesystem" in spec) {
        const { content_path, temp_path } = spec.filesystem;
        if (overlaps(content_path, temp_path)) {
          issues.push({
            path: formatPath([...path, "filesystem", "temp_path"]),
            message:
              `temp_path "${temp_path}" overlaps content_path "${content_path}"; ` +
              `NativeLink empties temp_path at start-up, so use a sibling directory on the same device`,
          });
        }
      }
    });
  });

  issues.push(...findCycles(config, edges));
  return issues;
}

/** A store must not reach itself through `ref_store` links: NativeLink would recurse forever. */
function findCycles(config: NativeLinkConfig, edges: Edge[][]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const state: ("new" | "open" | "done")[] = edges.map(() => "new");
  const stack: number[] = [];

  const visit = (node: number): void => {
    state[node] = "open";
    stack.push(node);
    for (const edge of edges[node]!) {
      if (state[edge.target] === "open") {
        const loop = [...stack.slice(stack.indexOf(edge.target)), edge.target].map((n) => `"${config.stores[n]!.name}"`);
        issues.push({
          path: formatPath(edge.path),
          message: `ref_store makes a cycle: ${loop.join(" → ")}; point it at a store that does not lead back here`,
        });
      } else if (state[edge.target] === "new") {
        visit(edge.target);
      }
    }
    stack.pop();
    state[node] = "done";
  };

  edges.forEach((_, node) => {
    if (state[node] === "new") visit(node);
  });
  return issues;
}
