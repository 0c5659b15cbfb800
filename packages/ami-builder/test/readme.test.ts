// The README's tables render as tables, and its props table is the props of NativeLinkImage.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const propsSource = readFileSync(new URL("../src/props.ts", import.meta.url), "utf8");

/** The first-column names of the table that follows `heading`. */
function tableNames(heading: string): string[] {
  const start = readme.indexOf(`\n${heading}\n`);
  expect(start, heading).toBeGreaterThan(-1);
  const rest = readme.slice(start + heading.length + 2).replace(/^\n+/, "");
  const rows = rest.slice(0, rest.search(/\n(?!\|)/)).split("\n");
  return rows.slice(2).map((row) => /^\| `([^`]+)`/.exec(row)?.[1] ?? row);
}

describe("README", () => {
  it("has no table row cut off from its table (every row follows a header or another row)", () => {
    const lines = readme.split("\n");
    const orphans = lines.filter(
      (line, index) => line.startsWith("| ") && index > 0 && !lines[index - 1]!.startsWith("|") && !lines[index + 1]?.startsWith("|---"),
    );
    expect(orphans).toEqual([]);
  });

  it("lists every prop of NativeLinkImageProps, lock first after name", () => {
    const body = propsSource.slice(propsSource.indexOf("export interface NativeLinkImageProps"));
    const props = [...body.slice(0, body.indexOf("\n}\n")).matchAll(/^ {2}readonly (\w+)\?:/gm)].map((match) => match[1]!);
    const names = tableNames("## Props");
    expect([...names].sort()).toEqual([...props].sort());
    expect(names.slice(0, 2)).toEqual(["name", "lock"]);
  });

  it("does not require the SHA-256 props when baking from a lock, and does not tell readers to trust a bare download", () => {
    for (const prop of ["nativelinkSha256", "otelcolSha256"]) expect(readme).toMatch(new RegExp(`\\| \`${prop}\` \\| required to bake without \`lock\` \\|`));
    expect(readme).not.toMatch(/Checksums are required|checksums\.txt|\| sha256sum/);
    expect(readme).toContain("nativelink-aws images lock");
  });

  it("lists every component of a bake in one table", () => {
    const table = readme.slice(readme.indexOf("| component | what |"));
    const rows = table
      .slice(0, table.search(/\n(?!\|)/))
      .split("\n")
      .slice(2);
    expect(rows.map((row) => /^\| `<name>-([a-z-]+?)(?:-<arch>)?`/.exec(row)?.[1])).toEqual([
      "nativelink",
      "nativelink-bootstrap",
      "nativelink-units",
      "nativelink-warm-pool",
      "nativelink-actions",
      "aws-cli",
      "nativelink-drain",
      "nativelink-drain-unit",
      "otelcol",
      "cloudwatch-agent",
    ]);
  });
});
