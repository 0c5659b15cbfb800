import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { imageDirectory } from "../src/image-files.js";
import { allComponents, bakeSettings, componentSteps } from "./helpers/bake.js";
import { writeDrainFakeTools, writeFakeTools } from "./helpers/fake-tools.js";

const scratch = mkdtempSync(join(tmpdir(), "nativelink-shellcheck-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** shellcheck (installed by scripts/ensure-test-tools.mjs before the tests) on some files; all findings. */
function shellcheck(paths: readonly string[]): { code: number | null; findings: string } {
  const result = spawnSync("shellcheck", ["--format=gcc", "--shell=bash", ...paths], { encoding: "utf8" });
  if (result.error) throw new Error(`shellcheck could not run (${result.error.message}): run the package's test script, which installs it`);
  return { code: result.status, findings: `${result.stdout}${result.stderr}` };
}

describe("shellcheck", () => {
  it("passes every script shipped in the image", () => {
    const directory = join(imageDirectory(), "bin");
    const scripts = readdirSync(directory).map((name) => join(directory, name));
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    expect(shellcheck(scripts)).toEqual({ code: 0, findings: "" });
  });

  it("passes every bash step of every Image Builder component", () => {
    const components = [...allComponents(), ...allComponents(bakeSettings({ name: "ci", cloudWatchLogs: false }))];
    const paths = components.flatMap((spec) =>
      componentSteps(spec).map((parsed) => {
        const path = join(scratch, `${spec.name}-${parsed.phase}-${parsed.name}.sh`);
        writeFileSync(path, `#!/usr/bin/env bash\n${parsed.script}`);
        return path;
      }),
    );
    expect(paths.length).toBeGreaterThan(20);
    expect(shellcheck(paths)).toEqual({ code: 0, findings: "" });
  });

  it("passes the tests' fake disk tools, systemctl and AWS CLI", () => {
    const directory = join(scratch, "fakes");
    writeFakeTools(directory);
    writeDrainFakeTools(directory);
    expect(readdirSync(directory)).toEqual(expect.arrayContaining(["aws", "systemctl", "lsblk"]));
    expect(shellcheck(readdirSync(directory).map((name) => join(directory, name)))).toEqual({ code: 0, findings: "" });
  });
});
