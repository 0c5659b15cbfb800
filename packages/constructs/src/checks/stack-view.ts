import { addressOf, type StackItem, type StackView } from "./rule.js";

type Section = Record<string, Record<string, Record<string, unknown>>>;
interface TerraformJson {
  resource?: Section;
  data?: Section;
}

const REFERENCE = /^\$\{(data\.)?([a-z0-9_]+)\.([^.}]+)\.[a-z0-9_]+\}$/;
/** `type.id` or `data.type.id` anywhere in an expression; only those naming an item of the stack count. */
const ANY_REFERENCE = /\b(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)/g;

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
  const byAddress = new Map(items.map((item) => [addressOf(item), item]));
  return {
    items,
    ofType: (type, kind = "resource") => items.filter((item) => item.type === type && item.kind === kind),
    referenced(reference) {
      const match = typeof reference === "string" ? REFERENCE.exec(reference) : null;
      return match ? byAddress.get(`${match[1] ?? ""}${match[2]}.${match[3]}`) : undefined;
    },
    references(expression) {
      if (typeof expression !== "string" || !expression.includes("${")) return [];
      const found = new Set<StackItem>();
      for (const match of expression.matchAll(ANY_REFERENCE)) {
        const item = byAddress.get(`${match[1] ?? ""}${match[2]}.${match[3]}`);
        if (item) found.add(item);
      }
      return [...found];
    },
  };
}
