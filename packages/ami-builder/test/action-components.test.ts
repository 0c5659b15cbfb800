import { spawnSync } from "node:child_process";
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ACTION_RUNNER_PATH } from "@nativelink-aws/nativelink-config";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ACTION_FIRST_UID, ACTION_SLOTS, ACTION_UIDS, actionUserName, actionsComponent } from "../src/action-components.js";
import { INSTALL_PATHS, imageFile } from "../src/image-files.js";
import { bakeSettings, componentSteps, step } from "./helpers/bake.js";

const isRoot = process.getuid?.() === 0;
const hasPrefixOption = spawnSync("useradd", ["--help"], { encoding: "utf8" }).stdout?.includes("--prefix") ?? false;
let destdir: string;

beforeEach(() => (destdir = mkdtempSync(join(tmpdir(), "nativelink-actions-"))));
afterEach(() => rmSync(destdir, { recursive: true, force: true }));

function runStep(name: string) {
  const script = step(actionsComponent(bakeSettings()), name).script;
  const result = spawnSync("bash", ["-c", script], { env: { PATH: process.env.PATH ?? "", DESTDIR: destdir }, encoding: "utf8" });
  return { code: result.status, stderr: result.stderr };
}

describe("the actions component (workers: nativelink-run-action, its user and interpreter, iptables)", () => {
  it("installs iptables and util-linux (flock, unshare, setpriv), and the pool of action users", () => {
    const spec = actionsComponent(bakeSettings());
    expect(step(spec, "InstallPackages").script).toContain("install -y --no-install-recommends iptables util-linux");
    expect(step(spec, "CreateActionUsers").script).toContain(
      'useradd "${prefix[@]}" --system --uid "$id" --gid "$id" --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$name"',
    );
    expect([ACTION_FIRST_UID, ACTION_SLOTS, ACTION_UIDS, actionUserName(3)]).toEqual([70000, 256, "70000-70255", "nativelink-action-3"]);
    expect(componentSteps(spec).map((parsed) => `${parsed.phase}/${parsed.name}`)).toEqual([
      "build/InstallPackages",
      "build/CreateActionUsers",
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

  it("the wrapper and the bootstrap default to the image's pool (NATIVELINK_ACTION_UIDS)", () => {
    for (const script of ["bin/nativelink-run-action", "bin/nativelink-bootstrap-actions"]) {
      expect(imageFile(script)).toContain(`\${ROLE_SETTINGS[NATIVELINK_ACTION_UIDS]:-${ACTION_UIDS}}`);
    }
  });

  describe.skipIf(!isRoot || !hasPrefixOption)("creating the pool (useradd --prefix on copies of this machine's account files)", () => {
    const accountFiles = () => {
      mkdirSync(join(destdir, "etc"), { recursive: true });
      for (const name of ["passwd", "group", "shadow", "gshadow"]) copyFileSync(`/etc/${name}`, join(destdir, "etc", name));
    };
    const entries = (file: string) =>
      readFileSync(join(destdir, "etc", file), "utf8")
        .split("\n")
        .filter((line) => line.startsWith("nativelink-action-"))
        .map((line) => line.split(":"));

    it("creates nativelink-action-<n> with uid = gid = 70000 + n, each in a group of its own, without a login; a second run changes nothing", () => {
      accountFiles();
      expect(runStep("CreateActionUsers")).toMatchObject({ code: 0 });
      const users = entries("passwd");
      expect(users).toHaveLength(ACTION_SLOTS);
      users.forEach((fields, n) => {
        expect(fields).toEqual([actionUserName(n), "x", String(ACTION_FIRST_UID + n), String(ACTION_FIRST_UID + n), "", "/nonexistent", "/usr/sbin/nologin"]);
      });
      expect(entries("group").map((fields) => `${fields[0]}:${fields[2]}:${fields[3]}`)).toEqual(
        users.map((_, n) => `${actionUserName(n)}:${ACTION_FIRST_UID + n}:`),
      );
      const before = readFileSync(join(destdir, "etc/passwd"), "utf8");
      expect(runStep("CreateActionUsers")).toMatchObject({ code: 0 });
      expect(readFileSync(join(destdir, "etc/passwd"), "utf8")).toBe(before);
    });

    it("stops the bake when an id of the pool belongs to another account", () => {
      accountFiles();
      appendFileSync(join(destdir, "etc/passwd"), `someone:x:${ACTION_FIRST_UID + 5}:100::/home/someone:/bin/sh\n`);
      const result = runStep("CreateActionUsers");
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(`uid ${ACTION_FIRST_UID + 5} belongs to someone, not nativelink-action-5`);
    });
  });

  it("checks the users, the interpreter's owner and mode, the wrapper's syntax and iptables when validating and on a new instance", () => {
    const spec = actionsComponent(bakeSettings());
    for (const name of ["CheckActions", "CheckActionsOnNewInstance"]) {
      const script = step(spec, name).script;
      expect(script).toContain("id -u nativelink-action-$n");
      expect(script).toContain(`stat -c '%U:%G %a' ${INSTALL_PATHS.actionShell})" == "root:nogroup 2755"`);
      expect(script).toContain(`bash -n ${INSTALL_PATHS.actionRunner}`);
      expect(script).toContain("iptables --version");
    }
    expect(step(spec, "CheckActionsOnNewInstance").script).toContain(`${INSTALL_PATHS.actionRunner} /bin/true`);
  });
});
