/** Wording shared by the cross-field checks. */
import type { StoreSpec } from "../schema/stores.js";
import { storeKind } from "../schema/stores.js";

export function undefinedStore(name: string): string {
  return `store "${name}" is not defined; add {name: "${name}", ...} to stores or fix the reference`;
}

export function undefinedScheduler(name: string): string {
  return `scheduler "${name}" is not defined; add {name: "${name}", simple: {...}} to schedulers or fix the reference`;
}

export function duplicateName(kind: string, name: string, firstPath: string): string {
  return `${kind} name "${name}" is already used by ${firstPath}; ${kind} names must be unique`;
}

/** "a memory store", "an experimental_cloud_object_store store". */
export function describeKind(spec: StoreSpec): string {
  const kind = storeKind(spec);
  return `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind} store`;
}

/** ` (through ref_store "a" → "b")` when references were followed. */
export function through(via: readonly string[]): string {
  return via.length > 0 ? ` (through ref_store ${via.map((name) => `"${name}"`).join(" → ")})` : "";
}

/** Removes trailing slashes so "/a/" and "/a" compare equal. */
export function normalizeDir(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

/** True when one directory is the other or contains it. */
export function overlaps(a: string, b: string): boolean {
  const [x, y] = [normalizeDir(a), normalizeDir(b)];
  return x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`);
}
