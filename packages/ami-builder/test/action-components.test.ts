import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ACTION_RUNNER_PATH } from "@nativelink-aws/nativelink-config";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ACTION_USER, actionsComponent } from "../src/action-components.js";
import { INSTALL_PATHS, imageFile } from "../src/image-files.js";
import { bakeSettings, componentSteps, step } from "./helpers/bake.js";

const isRoot = process.getuid?.() === 0;
let destdir: string;

beforeEach(() => (destdir = mkdtempSync(join(tmpdir(), "nativelink-actions-"))));
afterEach(() => rmSync(destdir, { recursive: true, force: true }));

function runStep(name: string) {
  const script = step(actionsComponent(bakeSettings()), name).script;
  const result = spawnSync("bash", ["-c", script], { env: { PATH: process.env.PATH ?? "", DESTDIR: destdir }, encoding: "utf8" });
  return { code: result.status, stderr: result.stderr };
}

describe("the actions component (workers: nativelink-run-action, its user and interpreter, iptables)", () => {
  it("installs iptables, creates nativelink-action as a system user without a login, once", () => {
    const spec = actionsComponent(bakeSettings());
    expect(step(spec, "InstallPackages").script).toContain("install -y --no-install-recommends iptables util-linux");
    expect(step(spec, "CreateActionUser").script).toBe(
      "set -euo pipefail\ngetent passwd nativelink-action >/dev/null ||\n" +
        "  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin nativelink-action\n",
    );
    expect(ACTION_USER).toBe("nativelink-action");
    expect(componentSteps(spec).map((parsed) => `${parsed.phase}/${parsed.name}`)).toEqual([
      "build/InstallPackages",
      "build/CreateActionUser",
      "build/InstallActionShell",
      "build/InstallActionRunner",
      "validate/CheckActions",
      "test/CheckActionsOnNewInstance",
    ]);
  });

  it("the wrapper is installed where the worker preset's entrypoint points, and starts through the interpreter the image installs", () => {
    expect(INSTALL_PATHS.actionRunner).toBe(ACTION_RUNNER_PATH);
    expect(imageFile("bin/nativelink-run-action").split("\n")[0]).toBe(`#!${INSTALL_PATHS.actionShell}`);
    expect(runStep("InstallActionRunner")).toMatchObject({ code: 0 });
    const installed = join(destdir, INSTALL_PATHS.actionRunner);
    expect(readFileSync(installed, "utf8")).toBe(imageFile("bin/nativelink-run-action"));
    expect(statSync(installed).mode & 0o7777).toBe(0o755);
  });

  it.skipIf(!isRoot)("the interpreter is a setgid (nogroup) copy of bash in a directory only root can enter", () => {
    expect(runStep("InstallActionShell")).toMatchObject({ code: 0 });
    const shell = statSync(join(destdir, INSTALL_PATHS.actionShell));
    expect(shell.mode & 0o7777).toBe(0o2755);
    expect(shell.uid).toBe(0);
    expect(shell.gid).not.toBe(0);
    expect(readFileSync(join(destdir, INSTALL_PATHS.actionShell)).equals(readFileSync("/bin/bash"))).toBe(true);
    expect(statSync(join(destdir, "/usr/local/lib/nativelink")).mode & 0o777).toBe(0o700);
  });

  it("checks the user, the interpreter's owner and mode, the wrapper's syntax and iptables when validating and on a new instance", () => {
    const spec = actionsComponent(bakeSettings());
    for (const name of ["CheckActions", "CheckActionsOnNewInstance"]) {
      const script = step(spec, name).script;
      expect(script).toContain("id -u nativelink-action");
      expect(script).toContain(`stat -c '%U:%G %a' ${INSTALL_PATHS.actionShell})" == "root:nogroup 2755"`);
      expect(script).toContain(`bash -n ${INSTALL_PATHS.actionRunner}`);
      expect(script).toContain("iptables --version");
    }
    expect(step(spec, "CheckActionsOnNewInstance").script).toContain(`${INSTALL_PATHS.actionRunner} /bin/true`);
  });
});
