/**
 * `${NAME}` and `${NAME:-default}` placeholders, as NativeLink's `shellexpand::env` reads them
 * in the fields it expands at start-up.
 */

/** A placeholder that makes up a whole value. */
export interface Placeholder {
  /** Environment variable name. */
  name: string;
  /** Value used when the variable is unset; absent means NativeLink refuses to start without it. */
  fallback?: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The default runs to the first `}`; we also forbid `$` in it because shellexpand keeps it verbatim. */
const BODY = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([^$]*))?$/;
const WHOLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}$]*))?\}$/;

/** Writes `${name}` or `${name:-fallback}`. */
export function placeholder(name: string, fallback?: string): string {
  if (!ENV_NAME.test(name)) throw new Error(`invalid environment variable name "${name}"`);
  if (fallback !== undefined && /[}$]/.test(fallback)) {
    throw new Error(`placeholder default "${fallback}" must not contain "}" or "$"`);
  }
  return fallback === undefined ? "${" + name + "}" : "${" + name + ":-" + fallback + "}";
}

/** Reads a value that is exactly one placeholder (surrounding blanks allowed, NativeLink trims them). */
export function parseWholePlaceholder(text: string): Placeholder | undefined {
  const match = WHOLE.exec(text.trim());
  if (!match) return undefined;
  const [, name, fallback] = match;
  return fallback === undefined ? { name: name! } : { name: name!, fallback };
}

/** Every placeholder in a string, in order (only meaningful once the string passed `checkExpandedString`). */
export function placeholdersIn(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const match of text.matchAll(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}$]*))?\}/g)) {
    if (match[0] === "$$") continue;
    found.push(match[2] === undefined ? { name: match[1]! } : { name: match[1]!, fallback: match[2] });
  }
  return found;
}

const FORMS = "write ${NAME} or ${NAME:-default} (or $$ for a literal $)";

/**
 * Checks a string NativeLink shell-expands. Returns why it is wrong, or undefined.
 * Stricter than shellexpand on purpose: a bare `$NAME` or a broken `${` is almost always a mistake.
 */
export function checkExpandedString(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "$") continue;
    const next = text[i + 1];
    if (next === "$") {
      i++;
      continue;
    }
    if (next === "{") {
      const close = text.indexOf("}", i);
      if (close < 0) return `unclosed "\${" at offset ${i}; ${FORMS}`;
      if (!BODY.test(text.slice(i + 2, close))) {
        return `malformed placeholder "${text.slice(i, close + 1)}"; ${FORMS}`;
      }
      i = close;
      continue;
    }
    if (next !== undefined && /[A-Za-z0-9_]/.test(next)) {
      return `bare "$${next}..." would be expanded by NativeLink too; ${FORMS}`;
    }
  }
  return undefined;
}

/** Checks a string NativeLink does not expand: a placeholder there would be taken literally. */
export function checkLiteralString(text: string): string | undefined {
  return text.includes("${") ? "NativeLink does not expand ${...} placeholders in this field; write the literal value" : undefined;
}
