/**
 * The text of a launch template's user data as an instance receives it, with Terraform references kept as `${…}`.
 * cdktf writes user data as `${base64encode(join("", ["…", aws_s3_bucket.b.bucket, "…"]))}` (NativeLinkFleet,
 * `terraformBase64`), `${base64encode("…${var.x}…")}` (`Fn.base64encode`), a literal base64 string, or plain text.
 * Undefined when the value is none of these.
 */
export function userDataText(value: unknown): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  if (value.startsWith("${") && new ExpressionReader(value).interpolationEnd(0) === value.length) {
    return textOf(new ExpressionReader(value.slice(2, -1)).whole());
  }
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(value) && value.length % 4 === 0) return Buffer.from(value, "base64").toString("utf8");
  return value;
}

/** The value of `KEY=value` on a line of its own (the boot contract's role.env lines), if any. */
export function roleEnvValue(text: string | undefined, key: string): string | undefined {
  return text === undefined ? undefined : new RegExp(`^${key}=(.+)$`, "m").exec(text)?.[1];
}

type Expression =
  | { readonly kind: "string"; readonly text: string }
  | { readonly kind: "list"; readonly items: Expression[] }
  | { readonly kind: "call"; readonly name: string; readonly args: Expression[]; readonly source: string }
  | { readonly kind: "other"; readonly source: string };

/** Text an expression contributes to a string: literal parts as written, anything computed as `${…}`. */
function textOf(expression: Expression): string | undefined {
  switch (expression.kind) {
    case "string":
      return expression.text;
    case "list":
      return undefined;
    case "other":
      return `\${${expression.source}}`;
    case "call": {
      const [first, second] = expression.args;
      if (expression.name === "base64encode" && first) return textOf(first);
      if (expression.name === "join" && first && second?.kind === "list") {
        const separator = textOf(first);
        const parts = second.items.map(textOf);
        return separator === undefined || parts.some((part) => part === undefined) ? undefined : parts.join(separator);
      }
      return `\${${expression.source}}`;
    }
  }
}

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

/** Just enough of HCL's expression syntax to take user data apart: strings, lists, calls; the rest is kept as source. */
class ExpressionReader {
  private position = 0;

  constructor(private readonly source: string) {}

  whole(): Expression {
    const expression = this.expression();
    this.skipSpace();
    return this.position === this.source.length ? expression : { kind: "other", source: this.source.trim() };
  }

  /** Index just past the `}` closing the interpolation (or directive) that starts at `start`. */
  interpolationEnd(start: number): number {
    let depth = 0;
    for (let i = start + 1; i < this.source.length; i++) {
      const char = this.source[i];
      if (char === '"') i = this.stringEnd(i) - 1;
      else if (char === "{") depth++;
      else if (char === "}" && --depth === 0) return i + 1;
    }
    return this.source.length + 1;
  }

  private expression(): Expression {
    this.skipSpace();
    const start = this.position;
    const char = this.source[start];
    const call = /^([A-Za-z_][A-Za-z0-9_]*)\s*\(/.exec(this.source.slice(start));
    const primary = char === '"' ? this.string() : char === "[" ? this.list() : call ? this.call(call[1]!, call[0].length) : undefined;
    this.skipSpace();
    // An index, attribute or operator after it (`tolist(x)[0]`) makes the whole a computed expression.
    if (primary && (this.position >= this.source.length || ",)]".includes(this.source[this.position]!))) return primary;
    this.position = start;
    return this.other();
  }

  private string(): Expression {
    const end = this.stringEnd(this.position);
    let text = "";
    for (let i = this.position + 1; i < end - 1; i++) {
      const char = this.source[i]!;
      if (char === "\\") {
        const next = this.source[++i]!;
        if (next === "u" || next === "U") {
          const digits = next === "u" ? 4 : 8;
          text += String.fromCodePoint(parseInt(this.source.slice(i + 1, i + 1 + digits), 16));
          i += digits;
        } else {
          text += ESCAPES[next] ?? next;
        }
      } else if ((char === "$" || char === "%") && this.source.startsWith(`${char}${char}{`, i)) {
        text += `${char}{`;
        i += 2;
      } else if ((char === "$" || char === "%") && this.source[i + 1] === "{") {
        const close = this.interpolationEnd(i);
        text += this.source.slice(i, close);
        i = close - 1;
      } else {
        text += char;
      }
    }
    this.position = end;
    return { kind: "string", text };
  }

  /** Index just past the closing quote of the string that opens at `start`. */
  private stringEnd(start: number): number {
    for (let i = start + 1; i < this.source.length; i++) {
      const char = this.source[i];
      if (char === "\\") i++;
      else if (char === '"') return i + 1;
      else if ((char === "$" || char === "%") && this.source.startsWith(`${char}${char}{`, i)) i += 2;
      else if ((char === "$" || char === "%") && this.source[i + 1] === "{") i = this.interpolationEnd(i) - 1;
    }
    return this.source.length;
  }

  private list(): Expression {
    this.position++;
    return { kind: "list", items: this.sequence("]") };
  }

  private call(name: string, openLength: number): Expression {
    const start = this.position;
    this.position += openLength;
    const args = this.sequence(")");
    return { kind: "call", name, args, source: this.source.slice(start, this.position) };
  }

  /** Comma-separated expressions up to and past `close`. */
  private sequence(close: string): Expression[] {
    const items: Expression[] = [];
    for (;;) {
      this.skipSpace();
      if (this.position >= this.source.length) return items;
      if (this.source[this.position] === close) {
        this.position++;
        return items;
      }
      items.push(this.expression());
      this.skipSpace();
      if (this.source[this.position] === ",") this.position++;
    }
  }

  /** A reference, operator expression or anything else, up to a comma or closing bracket at its own depth. */
  private other(): Expression {
    const start = this.position;
    let depth = 0;
    for (; this.position < this.source.length; this.position++) {
      const char = this.source[this.position]!;
      if (char === '"') this.position = this.stringEnd(this.position) - 1;
      else if ("([{".includes(char)) depth++;
      else if (")]}".includes(char) && depth-- === 0) break;
      else if (char === "," && depth === 0) break;
    }
    if (this.position === start) this.position++;
    return { kind: "other", source: this.source.slice(start, this.position).trim() };
  }

  private skipSpace(): void {
    while (/\s/.test(this.source[this.position] ?? "")) this.position++;
  }
}
