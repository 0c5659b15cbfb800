// The README's certs commands and every certs --help example, run as written by bash through the built binary,
// with HOME in a temporary directory; and the help itself.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ALL_PUBLISHED_FILES } from "@nativelink-aws/nativelink-config";
import { openssl } from "./support/certs.js";
import { runCli } from "./support/run-cli.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const SUBCOMMANDS = ["init", "issue", "revoke", "list", "publish"];

/** A HOME and a working directory, with `nativelink-aws` on PATH running dist/main.js. */
function shell(): { home: string; run(command: string): { status: number | null; stdout: string; stderr: string } } {
  const home = mkdtempSync(join(tmpdir(), "certs-readme-"));
  const bin = join(home, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "nativelink-aws"), `#!/bin/sh\nexec "${process.execPath}" "${join(packageDir, "dist", "main.js")}" "$@"\n`);
  chmodSync(join(bin, "nativelink-aws"), 0o755);
  const env = { ...process.env, HOME: home, PATH: `${bin}:${process.env.PATH ?? ""}` };
  return { home, run: (command) => spawnSync("bash", ["-c", command], { cwd: home, env, encoding: "utf8", timeout: 60_000 }) };
}

/** The `nativelink-aws certs …` lines of the README's certs section, comments dropped. */
function readmeCommands(): string[] {
  const readme = readFileSync(join(packageDir, "README.md"), "utf8");
  const section = readme.split(/^## /m).find((part) => part.startsWith("certs\n")) ?? "";
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? "");
  return blocks
    .flatMap((block) => block.split("\n"))
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line.startsWith("nativelink-aws certs "));
}

describe("the README's certs lifecycle", () => {
  it("runs as written, and does what it says", () => {
    const commands = readmeCommands();
    expect(commands.map((command) => command.split(" ")[2])).toEqual(["init", "issue", "issue", "publish", "list", "revoke", "publish"]);
    const { home, run } = shell();
    for (const command of commands) {
      const result = run(command);
      expect(result.stderr, command).toBe("");
      expect(result.status, command).toBe(0);
    }
    const pki = join(home, ".nativelink-aws", "nativelink", "pki");
    const alice = join(home, "certs", "alice", "client.pem");
    const ci = join(home, "certs", "github-actions", "client.pem");
    const published = join(home, "client-ca");
    expect(openssl(["verify", "-CAfile", join(published, "ci-ca.pem"), "-crl_check", "-CRLfile", join(published, "ci.crl.pem"), ci], home).status).toBe(0);
    const revoked = openssl(
      ["verify", "-CAfile", join(published, "developers-ca.pem"), "-crl_check", "-CRLfile", join(published, "developers.crl.pem"), alice],
      home,
    );
    expect(revoked.output).toContain("certificate revoked");
    expect(readFileSync(join(pki, "developers", "ca.pem"), "utf8")).toBe(readFileSync(join(published, "developers-ca.pem"), "utf8"));
    expect(run("ls client-ca").stdout.trim().split("\n").sort()).toEqual([...ALL_PUBLISHED_FILES].sort());
  });
});

describe("certs --help", () => {
  it("the program's help lists certs", async () => {
    expect((await runCli(["--help"])).stdout).toMatch(/^ {2}certs +Client certificates for the load balancer's mutual TLS/m);
  });

  it("lists the five commands", async () => {
    const result = await runCli(["certs", "--help"]);
    expect(result.code).toBe(0);
    for (const command of SUBCOMMANDS) expect(result.stdout).toMatch(new RegExp(`^  ${command} \\[options\\]`, "m"));
  });

  it.each([
    ["init", ["--deployment <name>", "--pki-dir <dir>", "Exit codes: 0 created, 2 usage error, 4 a PKI exists there"]],
    ["issue", ["--name <name>", "--kind <kind>", "--days <n>", '(default: "365")', "--out <dir>", "4 a file exists in --out"]],
    ["revoke", ["--name <name>", "--serial <hex>", "--cert <file>", "--reason <reason>", "key-compromise", "Exit codes: 0 revoked"]],
    ["list", ["--json", "Exit codes: 0 listed"]],
    ["publish", ["--out <dir>", '(default: "client-ca")', "Exit codes: 0 written or up to date"]],
  ])("certs %s --help shows its flags and exit codes", async (command, expected) => {
    const result = await runCli(["certs", command, "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: nativelink-aws certs ${command} [options]`);
    for (const text of expected) expect(result.stdout).toContain(text);
  });

  it("every help example runs as written, in order", async () => {
    const { run } = shell();
    for (const command of ["init", "issue", "publish", "list", "revoke"]) {
      const help = (await runCli(["certs", command, "--help"])).stdout;
      const example = /Example:\n {2}(.+)\n/.exec(help)?.[1] ?? "";
      expect(example).toMatch(new RegExp(`^nativelink-aws certs ${command}( |$)`));
      const result = run(example);
      expect(result.stderr, example).toBe("");
      expect(result.status, example).toBe(0);
    }
  });
});
