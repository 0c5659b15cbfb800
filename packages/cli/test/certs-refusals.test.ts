// Every refusal of the certs commands: a clear error naming the fix, the documented exit code, and not a byte
// changed in the PKI directory or the output directory.
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { initializedWorkspace, issue, snapshot, workspace, type Workspace } from "./support/certs.js";

afterEach(() => {
  vi.useRealTimers();
});

/** Runs a failing command and checks its code, its message, and that `space.dir` (PKI and outputs) is unchanged. */
async function refuses(space: Workspace, args: string[], code: number, message: RegExp): Promise<void> {
  const before = snapshot(space.dir);
  const result = await space.certs(...args);
  expect(result.stderr).toMatch(message);
  expect(result.code).toBe(code);
  expect(result.stdout).toBe("");
  expect(snapshot(space.dir)).toEqual(before);
}

describe("certs init refuses", () => {
  it("to replace an existing PKI (exit 4)", async () => {
    const space = await initializedWorkspace();
    await issue(space, "alice", "developer", "alice");
    await refuses(space, ["init"], 4, /a PKI already exists at .*pki: certs init never replaces one/);
  });

  it("a PKI directory inside a git repository (exit 4), creating nothing", async () => {
    const space = workspace();
    mkdirSync(join(space.dir, ".git"));
    await refuses(space, ["init"], 4, /--pki-dir .*pki is inside the git repository .*: CA private keys there end up committed/);
  });
});

describe("certs issue refuses", () => {
  it("an existing file in --out (exit 4), writing none of the three", async () => {
    const space = await initializedWorkspace();
    mkdirSync(join(space.dir, "alice"));
    writeFileSync(join(space.dir, "alice", "client.key"), "mine");
    await refuses(
      space,
      ["issue", "--name", "alice", "--kind", "developer", "--out", "alice"],
      4,
      /not overwriting alice\/client.key: certs issue never overwrites a certificate or key; give another --out/,
    );
  });

  it("--days beyond 397 (exit 2)", async () => {
    const space = await initializedWorkspace();
    await refuses(
      space,
      ["issue", "--name", "alice", "--kind", "developer", "--days", "398", "--out", "alice"],
      2,
      /--days: 398 is more than 397, the longest a client certificate may live; give --days 397 or less/,
    );
  });

  it("a missing CA key (exit 2), saying to restore it", async () => {
    const space = await initializedWorkspace();
    rmSync(join(space.pkiDir, "developers", "ca.key"));
    await refuses(
      space,
      ["issue", "--name", "alice", "--kind", "developer", "--out", "alice"],
      2,
      /developers\/ca.key: the developers CA's private key is missing, so it cannot sign\. Restore it from your backup/,
    );
    // The other CA still works.
    await issue(space, "gha", "ci", "gha");
  });

  it("a CA key that others can read (exit 4), with the chmod that fixes it", async () => {
    const space = await initializedWorkspace();
    const key = join(space.pkiDir, "ci", "ca.key");
    chmodSync(key, 0o644);
    await refuses(
      space,
      ["issue", "--name", "gha", "--kind", "ci", "--out", "gha"],
      4,
      new RegExp(`readable by others \\(mode 0644\\); run \`chmod 600 ${key}\``),
    );
  });

  it("a PKI directory that others can read (exit 4)", async () => {
    const space = await initializedWorkspace();
    chmodSync(space.pkiDir, 0o755);
    await refuses(space, ["list"], 4, /pki: this directory is readable by others \(mode 0755\); run `chmod 700/);
  });

  it("a CA key that is not the CA certificate's (exit 2)", async () => {
    const space = await initializedWorkspace();
    const other = await initializedWorkspace();
    const { copyFileSync } = await import("node:fs");
    copyFileSync(join(other.pkiDir, "developers", "ca.key"), join(space.pkiDir, "developers", "ca.key"));
    await refuses(space, ["issue", "--name", "alice", "--kind", "developer", "--out", "alice"], 2, /developers\/ca.key is not the key of .*developers\/ca.pem/);
  });

  it("when there is no PKI (exit 2), saying to run certs init", async () => {
    const space = workspace();
    await refuses(
      space,
      ["issue", "--name", "alice", "--kind", "developer", "--out", "alice"],
      2,
      /no PKI at .*pki \(no issued.json\): run nativelink-aws certs init --deployment demo/,
    );
  });

  it("a PKI of another deployment (exit 2)", async () => {
    const space = await initializedWorkspace("other");
    const before = snapshot(space.dir);
    const { runCli } = await import("./support/run-cli.js");
    const result = await runCli(["certs", "list", "--deployment", "demo", "--pki-dir", space.pkiDir], { cwd: space.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--deployment: the PKI at .* belongs to deployment other, not demo; pass --deployment other/);
    expect(snapshot(space.dir)).toEqual(before);
  });

  it("once the CA has expired (exit 2), or past the CA's expiry", async () => {
    const space = await initializedWorkspace();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 3650 * 86_400_000 + 60_000 });
    await refuses(
      space,
      ["issue", "--name", "alice", "--kind", "developer", "--out", "alice"],
      2,
      /the developers CA expired on \S+: it can sign nothing more/,
    );
    vi.setSystemTime(Date.now() - 100 * 86_400_000);
    await refuses(
      space,
      ["issue", "--name", "alice", "--kind", "developer", "--days", "365", "--out", "alice"],
      2,
      /--days: 365 would outlive the developers CA, which expires on \S+; give --days 9\d or less/,
    );
  });

  it.each([
    [["--name", "alice,O=evil", "--kind", "developer", "--out", "x"], /--name: "alice,O=evil" is not a holder name/],
    [["--name", "alice", "--kind", "admin", "--out", "x"], /--kind: "admin" must be developer or ci/],
    [["--name", "alice", "--kind", "ci", "--days", "0", "--out", "x"], /--days: "0" is less than 1, e.g. 90/],
    [["--name", "alice", "--kind", "ci", "--days", "1.5", "--out", "x"], /--days: "1.5" is not a whole number, e.g. 90/],
    [["--name", "alice", "--kind", "ci", "--days", "abc", "--out", "x"], /--days: "abc" is not a whole number, e.g. 90/],
    [["--name", "alice", "--kind", "ci"], /required option '--out <dir>' not specified/],
  ])("bad flags %j (exit 2)", async (args, message) => {
    const space = await initializedWorkspace();
    await refuses(space, ["issue", ...args], 2, message);
  });
});

describe("certs revoke refuses", () => {
  it("a foreign certificate: one another PKI issued (exit 2)", async () => {
    const space = await initializedWorkspace();
    const stranger = await initializedWorkspace("stranger");
    const foreign = await issue(stranger, "mallory", "developer", "mallory");
    await issue(space, "alice", "developer", "alice");
    await refuses(
      space,
      ["revoke", "--cert", join(foreign, "client.pem")],
      2,
      /--cert .*mallory\/client.pem was not issued by the developers or CI CA of deployment demo \(its issuer is CN=stranger developers client CA/,
    );
  });

  it("a serial this PKI never issued (exit 2)", async () => {
    const space = await initializedWorkspace();
    await refuses(space, ["revoke", "--serial", "0123abcd"], 2, /serial 0123abcd was not issued by this PKI \(certs list shows what was\)/);
  });

  it("an expired certificate (exit 2): the load balancer refuses it already", async () => {
    const space = await initializedWorkspace();
    await issue(space, "alice", "developer", "alice", "1");
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 2 * 86_400_000 });
    await refuses(
      space,
      ["revoke", "--name", "alice"],
      2,
      /serial [0-9a-f]+ \(alice\) expired on \S+: the load balancer already refuses it; nothing to revoke/,
    );
    await refuses(space, ["revoke", "--cert", "alice/client.pem"], 2, /\(alice\) expired on/);
  });

  it("a certificate already revoked (exit 2), and a name never issued", async () => {
    const space = await initializedWorkspace();
    await issue(space, "alice", "developer", "alice");
    expect((await space.certs("revoke", "--name", "alice")).code).toBe(0);
    await refuses(space, ["revoke", "--name", "alice"], 2, /\(alice\) is already revoked/);
    await refuses(space, ["revoke", "--name", "bob"], 2, /--name: no certificate was issued to bob/);
  });

  it("without the CA key (exit 2), leaving index and CRL as they were", async () => {
    const space = await initializedWorkspace();
    await issue(space, "alice", "developer", "alice");
    rmSync(join(space.pkiDir, "developers", "ca.key"));
    await refuses(space, ["revoke", "--name", "alice"], 2, /the developers CA's private key is missing/);
  });

  it.each([
    [[], /give exactly one of --name NAME, --serial SERIAL or --cert FILE/],
    [["--name", "alice", "--serial", "01"], /give exactly one of --name NAME, --serial SERIAL or --cert FILE/],
    [["--name", "alice", "--reason", "boredom"], /--reason: "boredom" must be one of unspecified, key-compromise, affiliation-changed/],
    [["--serial", "xyz"], /--serial: "xyz" is not a hex serial/],
  ])("bad flags %j (exit 2)", async (args, message) => {
    const space = await initializedWorkspace();
    await issue(space, "alice", "developer", "alice");
    await refuses(space, ["revoke", ...args], 2, message);
  });
});

describe("certs publish refuses", () => {
  it("without a PKI (exit 2), writing no client-ca", async () => {
    await refuses(workspace(), ["publish"], 2, /no PKI at/);
  });
});
