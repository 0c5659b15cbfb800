/**
 * One rule for role.env in every script that reads it (nativelink-bootstrap, nativelink-drain-watcher,
 * nativelink-drain-worker, nativelink-run-action): `parse_role_file` of the library they source, nativelink-common.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { imageDirectory } from "../src/image-files.js";

const scratch = mkdtempSync(join(tmpdir(), "nativelink-role-env-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the library's parser on `content`: the settings it read (KEY=[value] per line, sorted), or its error. */
function parse(content: string): { code: number | null; output: string } {
  const file = join(scratch, "role.env");
  writeFileSync(file, content);
  const program = [
    "set -euo pipefail",
    `ROLE_FILE=${JSON.stringify(file)}`,
    'fail() { echo "error: $*"; exit 1; }',
    `source ${JSON.stringify(join(imageDirectory(), "bin/nativelink-common"))}`,
    "parse_role_file",
    'for key in "${!ROLE_SETTINGS[@]}"; do printf "%s=[%s]\\n" "$key" "${ROLE_SETTINGS[$key]}"; done | sort',
  ].join("\n");
  const result = spawnSync("bash", ["-c", program], { encoding: "utf8" });
  return { code: result.status, output: result.stdout };
}

describe("role.env: one parsing rule, nativelink-common's, for every script that reads it", () => {
  it("skips blank lines and comments, strips matching double or single quotes, keeps anything else verbatim", () => {
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
    expect(parse(content)).toEqual({
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

  it("refuses a line that is not KEY=value, naming it", () => {
    for (const line of ["export KEY=value", "lower=value", "NO_EQUALS"]) {
      const result = parse(`GOOD=1\n${line}\n`);
      expect(result.code).toBe(1);
      expect(result.output).toContain(`cannot parse '${line}' (expected KEY=value)`);
    }
  });
});
