import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

describe("README: client certificates with openssl", () => {
  it("the commands produce a client certificate the CA verifies for client auth", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const script = /Create a CA and one client certificate with openssl:\n\n```sh\n([\s\S]*?)```/.exec(readme)![1]!;
    const dir = mkdtempSync(join(tmpdir(), "mtls-"));
    execFileSync("bash", ["-euo", "pipefail", "-c", script], { cwd: dir, stdio: "pipe" });
    expect(execFileSync("openssl", ["verify", "-CAfile", "ca.pem", "-purpose", "sslclient", "client.pem"], { cwd: dir, encoding: "utf8" })).toBe("client.pem: OK\n");
  });
});
