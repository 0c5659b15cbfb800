import { Fn } from "./cdktf.js";

/** How cdktf writes an unresolved string token into a string. */
const TOKEN = /\$\{TfToken\[[^\]]+\]\}/g;

/**
 * What `Fn.rawString` leaves unescaped for a quoted HCL string: backslashes, carriage returns, tabs and
 * `%{` template directives. (It escapes double quotes, newlines and `${` itself.)
 */
function escapeBeyondRawString(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\r/g, "\\r").replace(/\t/g, "\\t").replace(/%\{/g, "%%{");
}

/**
 * `base64encode(join("", [...]))` of text that may hold cdktf tokens (bucket names, domains). Literal
 * parts are escaped so NativeLink's `${VAR:-default}` placeholders reach the instance as written, while
 * tokens stay Terraform references.
 */
export function terraformBase64(text: string): string {
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    if (match.index > last) parts.push(Fn.rawString(escapeBeyondRawString(text.slice(last, match.index))));
    parts.push(match[0]);
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(Fn.rawString(escapeBeyondRawString(text.slice(last))));
  return Fn.base64encode(Fn.join("", parts));
}
