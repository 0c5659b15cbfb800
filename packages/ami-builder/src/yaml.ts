/**
 * A small YAML writer for Image Builder component documents. The package ships no YAML library at
 * run time; the documents only need maps, lists, scalars and multi-line scripts (as literal blocks,
 * so that a script reads in the console exactly as it runs). The tests parse every output with a
 * full YAML parser.
 */
export type YamlValue = string | number | boolean | YamlPlain | readonly YamlValue[] | { readonly [key: string]: YamlValue };

/** A scalar written as is, unquoted: e.g. `schemaVersion: 1.0`, which AWSTOE documents as a number. */
export class YamlPlain {
  constructor(readonly text: string) {
    if (!/^[0-9.]+$/.test(text)) throw new Error(`YamlPlain is for numbers such as 1.0, got "${text}"`);
  }
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function isMap(value: YamlValue): value is { readonly [key: string]: YamlValue } {
  return typeof value === "object" && !Array.isArray(value) && !(value instanceof YamlPlain);
}

function isScalar(value: YamlValue): value is string | number | boolean | YamlPlain {
  return typeof value !== "object" || value instanceof YamlPlain;
}

function key(name: string): string {
  return PLAIN_KEY.test(name) ? name : JSON.stringify(name);
}

/** JSON's double-quoted strings are valid YAML double-quoted scalars. */
function scalar(value: string | number | boolean | YamlPlain): string {
  if (value instanceof YamlPlain) return value.text;
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** `|`, `|-` or `|+` and the indented lines of a multi-line string. */
function literalBlock(text: string, indent: string): { header: string; lines: string[] } {
  if (text.includes("\r")) throw new Error("YAML literal blocks cannot carry carriage returns");
  const firstLine = text.split("\n").find((line) => line.length > 0) ?? "";
  // Without an indentation indicator, the first line's indentation sets the block's: keep it at zero.
  if (/^\s/.test(firstLine)) throw new Error(`a multi-line string must not start with whitespace: "${firstLine}"`);
  const trailing = /\n*$/.exec(text)?.[0].length ?? 0;
  const chomp = trailing === 0 ? "-" : trailing === 1 ? "" : "+";
  const body = trailing === 0 ? text : text.slice(0, -1);
  const lines = body.split("\n").map((line) => (line.length > 0 ? `${indent}${line}` : ""));
  return { header: `|${chomp}`, lines };
}

function emit(value: YamlValue, indent: string): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) throw new Error("empty lists are not used in component documents");
    return value.flatMap((item: YamlValue) => sequenceItem(item, indent));
  }
  if (isMap(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) throw new Error("empty maps are not used in component documents");
    return entries.flatMap(([name, item]) => mapEntry(name, item, indent));
  }
  throw new Error("emit() takes a list or a map");
}

function mapEntry(name: string, item: YamlValue, indent: string): string[] {
  if (typeof item === "string" && item.includes("\n")) {
    const block = literalBlock(item, `${indent}  `);
    return [`${indent}${key(name)}: ${block.header}`, ...block.lines];
  }
  if (isScalar(item)) return [`${indent}${key(name)}: ${scalar(item)}`];
  // A list sits at its key's indentation (YAML's indentless sequences): scripts nested in phases, steps and
  // commands lose 6 spaces a line, which Image Builder's 16,000-character document limit counts.
  if (Array.isArray(item)) return [`${indent}${key(name)}:`, ...emit(item, indent)];
  return [`${indent}${key(name)}:`, ...emit(item, `${indent}  `)];
}

function sequenceItem(item: YamlValue, indent: string): string[] {
  if (typeof item === "string" && item.includes("\n")) {
    const block = literalBlock(item, `${indent}  `);
    return [`${indent}- ${block.header}`, ...block.lines];
  }
  if (isScalar(item)) return [`${indent}- ${scalar(item)}`];
  // The first line of a nested list or map shares the dash's line; the rest align under it.
  const [first = "", ...rest] = emit(item, `${indent}  `);
  return [`${indent}- ${first.slice(indent.length + 2)}`, ...rest];
}

/** The YAML text of a map, ending with a newline. */
export function toYaml(document: { readonly [key: string]: YamlValue }): string {
  return `${emit(document, "").join("\n")}\n`;
}
