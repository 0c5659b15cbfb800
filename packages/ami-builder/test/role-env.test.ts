/**
 * One rule for role.env in every script that reads it (nativelink-bootstrap, nativelink-drain-watcher,
 * nativelink-drain-worker, nativelink-run-action): each defines the same `parse_role_file`, and each copy, run on the same files, reads the same
 * values and refuses the same lines.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { imageFile } from "../src/image-files.js";

const SCRIPTS = ["bin/nativelink-bootstrap", "bin/nativelink-drain-watcher", "bin/nativelink-drain-worker", "bin/nativelink-run-action"] as const;
const scratch = mkdtempSync(join(tmpdir(), "nativelink-role-env-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The text of `parse_role_file() { … }` in a script. */
function parser(script: string): string {
  const match = /^parse_role_file\(\) \{\n[\s\S]*?\n\}\n/m.exec(imageFile(script));
  if (!match) throw new Error(`${script} defines no parse_role_file`);
  return match[0];
}

/** Runs a script's parser on `content`: the settings it read (KEY=[value] per line, sorted), or its error. */
function parse(script: string, content: string): { code: number | null; output: string } {
  const file = join(scratch, "role.env");
  writeFileSync(file, content);
  const program = [
    "set -euo pipefail",
    `ROLE_FILE=${JSON.stringify(file)}`,
    'fail() { echo "error: $*"; exit 1; }',
    "declare -A ROLE_SETTINGS=()",
    parser(script),
    "parse_role_file",
    'for key in "${!ROLE_SETTINGS[@]}"; do printf "%s=[%s]\\n" "$key" "${ROLE_SETTINGS[$key]}"; done | sort',
  ].join("\n");
  const result = spawnSync("bash", ["-c", program], { encoding: "utf8" });
  return { code: result.status, output: result.stdout };
}

describe("role.env: one parsing rule in the four scripts that read it", () => {
  it("the four scripts define the same parse_role_file", () => {
    const [first, ...others] = SCRIPTS.map(parser);
    for (const other of others) expect(other).toBe(first);
  });

  it.each(SCRIPTS)("%s: skips blank lines and comments, strips matching double or single quotes, keeps anything else verbatim", (script) => {
    const content = [
      "# a comment",
      "",
      "   ",
      "PLAIN=a b",
      'DOUBLE="quoted value"',
      "SINGLE='quoted value'",
      "MIXED=\"half'",
      'INNER=a"b"c',
      "EMPTY=",
      "  INDENTED=x",
      "LAST=1",
    ].join("\n");
    expect(parse(script, content)).toEqual({
      code: 0,
      output: [
        "DOUBLE=[quoted value]",
        "EMPTY=[]",
        "INDENTED=[x]",
        'INNER=[a"b"c]',
        "LAST=[1]",
        "MIXED=[\"half']",
        "PLAIN=[a b]",
        "SINGLE=[quoted value]",
        "",
      ].join("\n"),
    });
  });

  it.each(SCRIPTS)("%s: refuses a line that is not KEY=value, naming it", (script) => {
    for (const line of ["export KEY=value", "lower=value", "NO_EQUALS"]) {
      const result = parse(script, `GOOD=1\n${line}\n`);
      expect(result.code).toBe(1);
      expect(result.output).toContain(`cannot parse '${line}' (expected KEY=value)`);
    }
  });
});
