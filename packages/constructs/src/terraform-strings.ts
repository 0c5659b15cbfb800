/** How cdktf writes an unresolved string token into a string. */
const TOKEN = /\$\{TfToken\[[^\]]+\]\}/g;

/** Escapes literal text for a quoted HCL string: Terraform must not read `${` or `%{` in it as templates. */
function escapeHclLiteral(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t")
    .replace(/\$\{/g, "$${")
    .replace(/%\{/g, "%%{");
}

/**
 * `base64encode("…")` of text that may hold cdktf tokens (bucket names, domains). The literal parts are
 * escaped, so NativeLink's `${VAR:-default}` placeholders reach the instance as written, while the
 * tokens become Terraform interpolations. (`Fn.base64encode` refuses text with double quotes, and
 * `Fn.rawString` leaves backslashes and `%{` unescaped.)
 */
export function terraformBase64(text: string): string {
  let escaped = "";
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    escaped += escapeHclLiteral(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  escaped += escapeHclLiteral(text.slice(last));
  return `\${base64encode("${escaped}")}`;
}
