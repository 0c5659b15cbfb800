/**
 * Word splitting as the Rust `shlex` crate does it (POSIX-like quoting, `#` comments), which
 * NativeLink applies to `query_cmd`. Returns undefined where `shlex::split` returns None.
 */
export function shlexSplit(text: string): string[] | undefined {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /[ \t\n]/.test(text[i]!)) i++;
    if (i >= text.length) break;
    if (text[i] === "#") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    let word = "";
    while (i < text.length && !/[ \t\n]/.test(text[i]!)) {
      const char = text[i++]!;
      if (char === "'") {
        const close = text.indexOf("'", i);
        if (close < 0) return undefined;
        word += text.slice(i, close);
        i = close + 1;
      } else if (char === '"') {
        let closed = false;
        while (i < text.length) {
          const inner = text[i++]!;
          if (inner === '"') {
            closed = true;
            break;
          }
          if (inner === "\\" && i < text.length && '$`"\\\n'.includes(text[i]!)) {
            const escaped = text[i++]!;
            if (escaped !== "\n") word += escaped;
          } else word += inner;
        }
        if (!closed) return undefined;
      } else if (char === "\\") {
        if (i >= text.length) return undefined;
        const escaped = text[i++]!;
        if (escaped !== "\n") word += escaped;
      } else word += char;
    }
    words.push(word);
  }
  return words;
}
