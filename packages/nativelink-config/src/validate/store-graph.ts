/** Navigation of store specs: nested children, lookup by name, `ref_store` resolution. */
import type { NamedStore, StoreSpec } from "../schema/stores.js";

export type Path = (string | number)[];

/** The specs nested directly in a spec, with the keys that lead to each. */
export function childStores(spec: StoreSpec): { keys: Path; spec: StoreSpec }[] {
  if ("fast_slow" in spec) {
    return [
      { keys: ["fast_slow", "fast"], spec: spec.fast_slow.fast },
      { keys: ["fast_slow", "slow"], spec: spec.fast_slow.slow },
    ];
  }
  if ("verify" in spec) return [{ keys: ["verify", "backend"], spec: spec.verify.backend }];
  if ("compression" in spec) return [{ keys: ["compression", "backend"], spec: spec.compression.backend }];
  if ("existence_cache" in spec) return [{ keys: ["existence_cache", "backend"], spec: spec.existence_cache.backend }];
  if ("dedup" in spec) {
    return [
      { keys: ["dedup", "index_store"], spec: spec.dedup.index_store },
      { keys: ["dedup", "content_store"], spec: spec.dedup.content_store },
    ];
  }
  if ("size_partitioning" in spec) {
    return [
      { keys: ["size_partitioning", "lower_store"], spec: spec.size_partitioning.lower_store },
      { keys: ["size_partitioning", "upper_store"], spec: spec.size_partitioning.upper_store },
    ];
  }
  return [];
}

/** Calls `visit` on a spec and on every spec nested in it, depth first. */
export function walkStore(spec: StoreSpec, path: Path, visit: (spec: StoreSpec, path: Path) => void): void {
  visit(spec, path);
  for (const child of childStores(spec)) walkStore(child.spec, [...path, ...child.keys], visit);
}

export type Resolved = { ok: true; spec: StoreSpec; name: string | undefined; via: string[] } | { ok: false; reason: "missing" | "loop"; via: string[] };

/** The top-level stores by name (first definition wins; duplicates are reported elsewhere). */
export class StoreIndex {
  private readonly byName = new Map<string, { index: number; store: NamedStore }>();

  constructor(stores: readonly NamedStore[]) {
    stores.forEach((store, index) => {
      if (!this.byName.has(store.name)) this.byName.set(store.name, { index, store });
    });
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  indexOf(name: string): number | undefined {
    return this.byName.get(name)?.index;
  }

  /**
   * Follows `ref_store` links, as NativeLink's `downcast_ref` does (a `RefStore` hands out the
   * store it points at; every other wrapper hands out itself). `name` is the last top-level
   * store reached, `via` the names passed through.
   */
  resolve(spec: StoreSpec, via: string[] = []): Resolved {
    let current = spec;
    let name: string | undefined;
    const seen = [...via];
    while ("ref_store" in current) {
      const target = current.ref_store.name;
      if (seen.includes(target)) return { ok: false, reason: "loop", via: [...seen, target] };
      const entry = this.byName.get(target);
      seen.push(target);
      if (!entry) return { ok: false, reason: "missing", via: seen };
      current = entry.store;
      name = target;
    }
    return { ok: true, spec: current, name, via: seen };
  }

  /** Resolves a top-level store by name. */
  resolveName(name: string): Resolved {
    const entry = this.byName.get(name);
    if (!entry) return { ok: false, reason: "missing", via: [name] };
    const resolved = this.resolve(entry.store, [name]);
    return resolved.ok ? { ...resolved, name: resolved.name ?? name } : resolved;
  }
}
