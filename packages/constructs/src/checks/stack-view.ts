import type { StackItem, StackView } from "./rule.js";

type Section = Record<string, Record<string, Record<string, unknown>>>;
interface TerraformJson { resource?: Section; data?: Section }

const REFERENCE = /^\$\{(data\.)?([a-z0-9_]+)\.([^.}]+)\.[a-z0-9_]+\}$/;

/** Reads a stack's Terraform JSON (`stack.toTerraform()`) into a view the rules can query. */
export function stackView(json: TerraformJson): StackView {
  const items: StackItem[] = [];
  for (const kind of ["resource", "data"] as const) {
    for (const [type, byId] of Object.entries(json[kind] ?? {})) {
      for (const [id, config] of Object.entries(byId)) {
        const metadata = (config["//"] as { metadata?: { path?: string } } | undefined)?.metadata;
        items.push({ kind, type, id, path: metadata?.path ?? `${type}.${id}`, config });
      }
    }
  }
  return {
    items,
    ofType: (type, kind = "resource") => items.filter((item) => item.type === type && item.kind === kind),
    referenced(reference) {
      const match = typeof reference === "string" ? REFERENCE.exec(reference) : null;
      if (!match) return undefined;
      const kind = match[1] ? "data" : "resource";
      return items.find((item) => item.kind === kind && item.type === match[2] && item.id === match[3]);
    },
  };
}
