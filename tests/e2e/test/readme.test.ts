import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { WORKSPACE_SOURCE } from "../src/bazel.js";
import { REPOSITORY_ROOT, SUITE_DIRECTORY } from "../src/paths.js";
import { TEST_ONLY_CHANGES } from "../src/test-only-changes.js";

describe("the READMEs say what the suite does", () => {
  it("the suite's README names every test-only change in its table", () => {
    const readme = readFileSync(join(SUITE_DIRECTORY, "README.md"), "utf8");
    const table = readme.slice(readme.indexOf("## Test-only changes"), readme.indexOf("\n## ", readme.indexOf("## Test-only changes") + 1));
    const rows = [...table.matchAll(/^\| ([^|]+?) \|/gm)].map((row) => row[1]).filter((name) => name !== "change" && !name!.startsWith("---"));
    expect(rows).toEqual([...TEST_ONLY_CHANGES]);
  });

  it("the root README's platform example is the platform the suite builds with", () => {
    const readme = readFileSync(join(REPOSITORY_ROOT, "README.md"), "utf8");
    expect(readme).toContain(`\`\`\`starlark\n${readFileSync(join(WORKSPACE_SOURCE, "platforms/BUILD"), "utf8")}\`\`\``);
  });
});
