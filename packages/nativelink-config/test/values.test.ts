import { describe, expect, test } from "vitest";
import { parseDurationLiteral } from "../src/values/duration.js";
import { checkExpandedString, parseWholePlaceholder, placeholder, placeholdersIn } from "../src/values/placeholder.js";
import { parseSizeLiteral } from "../src/values/size.js";
import { shlexSplit } from "../src/validate/shlex.js";

const bytes = (text: string) => {
  const parsed = parseSizeLiteral(text);
  return parsed.ok ? parsed.bytes : parsed.reason;
};

describe("sizes (byte-unit 5.1, ignore_case = true)", () => {
  test.each([
    ["0", 0n],
    ["10", 10n],
    ["10b", 10n],
    ["10B", 10n],
    ["10kb", 10_000n],
    ["10KB", 10_000n],
    ["10k", 10_000n],
    ["10KiB", 10_240n],
    ["10ki", 10_240n],
    ["10gb", 10_000_000_000n],
    ["1.5GiB", 1_610_612_736n],
    ["128mib", 134_217_728n],
    ["2 TB", 2_000_000_000_000n],
    ["  3mb  ", 3_000_000n],
    ["1eib", 1_152_921_504_606_846_976n],
    ["16bit", 2n],
    ["1bit", 1n],
    ["1kbit", 125n],
    ["1Kibits", 128n],
    ["0.1b", 1n],
  ])("%s is %s bytes", (text, expected) => {
    expect(bytes(text)).toBe(expected);
  });

  test.each([
    ["", '"" is not a size: empty; write'],
    ["ten", '"ten" is not a size: write'],
    ["-1", '"-1" is not a size: write'],
    ["1.", '"1." is not a size: write'],
    [".5gb", '".5gb" is not a size: write'],
    ["10 gigabytes", '"10 gigabytes" is not a size: unknown unit "gigabytes"'],
    ["10zb", '"10zb" is not a size: unknown unit "zb"'],
    ["10ib", '"10ib" is not a size: unknown unit "ib"'],
    ["10bi", '"10bi" is not a size: unknown unit "bi"'],
    ["16eib", '"16eib" is not a size: larger than 2^64 - 1 bytes'],
  ])("%j is rejected", (text, start) => {
    expect(String(bytes(text)).startsWith(start)).toBe(true);
  });
});

describe("durations (humantime)", () => {
  test.each([
    ["30s", 30n],
    ["5m", 300n],
    ["1h 30m", 5_400n],
    ["1h30m", 5_400n],
    ["2days", 172_800n],
    ["1500ms", 1n],
    ["1M", 2_630_016n],
  ])("%s is %s seconds", (text, seconds) => {
    expect(parseDurationLiteral(text)).toEqual({ ok: true, seconds });
  });

  test.each(["30", "", "5 parsecs", "1.5h", "-5s"])("%j is rejected", (text) => {
    expect(parseDurationLiteral(text).ok).toBe(false);
  });
});

describe("placeholders (shellexpand)", () => {
  test("writes and reads whole placeholders", () => {
    expect(placeholder("A_B", "10gb")).toBe("${A_B:-10gb}");
    expect(placeholder("A")).toBe("${A}");
    expect(parseWholePlaceholder(" ${A:-x} ")).toEqual({ name: "A", fallback: "x" });
    expect(parseWholePlaceholder("${A:-}")).toEqual({ name: "A", fallback: "" });
    expect(parseWholePlaceholder("${A}gb")).toBeUndefined();
    expect(() => placeholder("1A")).toThrow('invalid environment variable name "1A"');
    expect(() => placeholder("A", "x}")).toThrow('placeholder default "x}" must not contain "}" or "$"');
  });

  test("finds every placeholder in an expanded string", () => {
    expect(placeholdersIn("grpc://${HOST:-127.0.0.1}:${PORT}/$$x")).toEqual([{ name: "HOST", fallback: "127.0.0.1" }, { name: "PORT" }]);
  });

  test.each([
    ["plain", undefined],
    ["a $ sign", undefined],
    ["cost: $$5", undefined],
    ["${A}/${B:-x}", undefined],
    ["${A", 'unclosed "${" at offset 0; write ${NAME} or ${NAME:-default} (or $$ for a literal $)'],
    ["${1A}", 'malformed placeholder "${1A}"; write ${NAME} or ${NAME:-default} (or $$ for a literal $)'],
    ["${A:-$B}", 'malformed placeholder "${A:-$B}"; write ${NAME} or ${NAME:-default} (or $$ for a literal $)'],
    ["$HOME/x", 'bare "$H..." would be expanded by NativeLink too; write ${NAME} or ${NAME:-default} (or $$ for a literal $)'],
  ])("%j", (text, problem) => {
    expect(checkExpandedString(text)).toBe(problem);
  });
});

describe("query_cmd splitting (shlex)", () => {
  test.each([
    ["/usr/bin/nproc", ["/usr/bin/nproc"]],
    ["/usr/bin/uname  -m ", ["/usr/bin/uname", "-m"]],
    ["/usr/bin/awk '/MemTotal/ { print $2 }' /proc/meminfo", ["/usr/bin/awk", "/MemTotal/ { print $2 }", "/proc/meminfo"]],
    ['/bin/echo "a \\"b\\" \\x"', ["/bin/echo", 'a "b" \\x']],
    ["/bin/echo a\\ b # comment", ["/bin/echo", "a b"]],
    ["", []],
  ])("%j", (text, words) => {
    expect(shlexSplit(text)).toEqual(words);
  });

  test.each(["/bin/echo 'a", '/bin/echo "a', "/bin/echo a\\"])("%j cannot be split", (text) => {
    expect(shlexSplit(text)).toBeUndefined();
  });
});
