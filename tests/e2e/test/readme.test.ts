import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isLocalLeftover, WORKSPACE_SOURCE } from "../src/bazel.js";
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

  it("the workspace works on Bazel 4.2.3 (WORKSPACE) and declares its one dependency for Bzlmod (MODULE.bazel)", () => {
    expect(readFileSync(join(WORKSPACE_SOURCE, "WORKSPACE"), "utf8")).toContain('workspace(name = "nativelink_e2e")');
    const module = readFileSync(join(WORKSPACE_SOURCE, "MODULE.bazel"), "utf8");
    expect(module).toContain('module(name = "nativelink_e2e")');
    expect(module).toMatch(/^bazel_dep\(name = "platforms", version = "\d+\.\d+\.\d+"\)$/m);
    // Every external repository the BUILD files name is declared.
    const builds = ["BUILD", "platforms/BUILD"].map((file) => readFileSync(join(WORKSPACE_SOURCE, file), "utf8")).join("\n");
    expect(new Set([...builds.matchAll(/"@(\w+)\/\//g)].map((match) => match[1]))).toEqual(new Set(["platforms"]));
    // No .bazelversion: only Bazel 4.2.3 has been run on this workspace.
    expect(existsSync(join(WORKSPACE_SOURCE, ".bazelversion"))).toBe(false);
  });

  it("the reader's cluster flags go in user.bazelrc, which the workspace imports and the suite never copies", () => {
    expect(readFileSync(join(WORKSPACE_SOURCE, ".bazelrc"), "utf8")).toContain("try-import %workspace%/user.bazelrc");
    for (const name of ["user.bazelrc", "bazel-bin", "bazel-out", "bazel-workspace", "MODULE.bazel.lock"]) expect(isLocalLeftover(name)).toBe(true);
    for (const name of ["BUILD", "WORKSPACE", "MODULE.bazel", ".bazelrc", "platforms", "data.txt", "stamp.txt"]) expect(isLocalLeftover(name)).toBe(false);
  });
});
