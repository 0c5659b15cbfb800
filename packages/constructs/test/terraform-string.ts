/**
 * Evaluates the `${base64encode("…")}` strings the fleets write for user data, as Terraform would:
 * HCL escapes undone, interpolations replaced from `references`, then base64 decoded.
 */
export function evaluateBase64Template(value: string, references: Record<string, string> = {}): string {
  const match = /^\$\{base64encode\(join\("", \[(.*)\]\)\)\}$/s.exec(value);
  if (!match) throw new Error(`not a base64encode(join("", […])) expression: ${value.slice(0, 80)}`);
  const text = splitList(match[1]!)
    .map((element) => (element.startsWith('"') ? unquote(element.slice(1, -1), references) : (references[element] ?? `<${element}>`)))
    .join("");
  // base64encode then the instance's base64 decode: the round trip is the identity on UTF-8 text.
  return Buffer.from(Buffer.from(text, "utf8").toString("base64"), "base64").toString("utf8");
}

/** Splits `"a", var.b, "c"` at top-level commas, respecting quoted strings and their escapes. */
function splitList(list: string): string[] {
  const elements: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < list.length; i++) {
    const char = list[i]!;
    if (quoted && char === "\\") {
      current += char + list[++i];
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (!quoted && char === ",") {
      elements.push(current.trim());
      current = "";
      continue;
    }
    current += char;
  }
  if (current.trim()) elements.push(current.trim());
  return elements;
}

function unquote(body: string, references: Record<string, string>): string {
  let text = "";
  for (let i = 0; i < body.length; i++) {
    const rest = body.slice(i);
    if (rest.startsWith("$${")) {
      text += "${";
      i += 2;
      continue;
    }
    if (rest.startsWith("%%{")) {
      text += "%{";
      i += 2;
      continue;
    }
    if (rest.startsWith("${")) {
      const end = body.indexOf("}", i);
      const reference = body.slice(i + 2, end);
      text += references[reference] ?? `<${reference}>`;
      i = end;
      continue;
    }
    if (rest.startsWith("%{")) throw new Error(`unescaped template directive at ${i}`);
    if (body[i] === '"') throw new Error(`unescaped quote at ${i}`);
    if (body[i] === "\\") {
      const next = body[i + 1];
      const escapes: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
      if (next === undefined || !(next in escapes)) throw new Error(`invalid escape \\${next} at ${i}`);
      text += escapes[next];
      i++;
      continue;
    }
    text += body[i];
  }
  return text;
}
