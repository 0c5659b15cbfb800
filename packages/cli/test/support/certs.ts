// For the certs tests: a PKI in a temporary directory, openssl as the independent judge, directory snapshots.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { expect } from "vitest";
import { runCli, type CliRun } from "./run-cli.js";

export interface Workspace {
  /** A temporary directory: the current directory of every command. */
  readonly dir: string;
  readonly pkiDir: string;
  readonly deployment: string;
  /** Runs `nativelink-aws certs <args> --deployment D --pki-dir P` in `dir`. */
  certs(...args: string[]): Promise<CliRun>;
}

export function workspace(deployment = "demo"): Workspace {
  const dir = mkdtempSync(join(tmpdir(), "certs-"));
  const pkiDir = join(dir, "pki");
  return {
    dir,
    pkiDir,
    deployment,
    certs: (...args) => runCli(["certs", ...args, "--deployment", deployment, "--pki-dir", pkiDir], { cwd: dir }),
  };
}

/** A workspace with a PKI made by `certs init`. */
export async function initializedWorkspace(deployment = "demo"): Promise<Workspace> {
  const space = workspace(deployment);
  const init = await space.certs("init");
  expect(init.stderr).toBe("");
  expect(init.code).toBe(0);
  return space;
}

export async function issue(space: Workspace, name: string, kind: "developer" | "ci", out: string, days = "30"): Promise<string> {
  const result = await space.certs("issue", "--name", name, "--kind", kind, "--days", days, "--out", out);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return join(space.dir, out);
}

export interface OpensslResult {
  readonly status: number | null;
  readonly output: string;
}

export function openssl(args: readonly string[], cwd: string): OpensslResult {
  const result = spawnSync("openssl", args, { cwd, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Every file and directory under `dir` with its mode and content hash: equal snapshots mean nothing changed. */
export function snapshot(dir: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (current: string) => {
    let names: string[];
    try {
      names = readdirSync(current);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const path = join(current, name);
      const stats = statSync(path);
      const mode = (stats.mode & 0o777).toString(8);
      if (stats.isDirectory()) {
        entries[`${relative(dir, path)}/`] = mode;
        walk(path);
      } else {
        entries[relative(dir, path)] = `${mode} ${createHash("sha256").update(readFileSync(path)).digest("hex")}`;
      }
    }
  };
  walk(dir);
  return entries;
}

export function modeOf(path: string): string {
  return (statSync(path).mode & 0o777).toString(8).padStart(4, "0");
}
