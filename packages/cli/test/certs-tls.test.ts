// The published files do their job in a real TLS handshake: two listeners built from them as the load balancer's are
// (readers trust developers and CI, writers trust CI only, each with its CRLs), clients with issued certificates.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CLIENT_CA_DIR, LISTENER_TRUST, PUBLISHED_FILES } from "@nativelink-aws/nativelink-config";
import { initializedWorkspace, issue, openssl, type Workspace } from "./support/certs.js";

interface Listener {
  readonly port: number;
  close(): Promise<void>;
}

/** A TLS server that verifies client certificates against `published` files and says whether it let the client in. */
async function listener(space: Workspace, trust: readonly ("developers" | "ci")[]): Promise<Listener> {
  const published = join(space.dir, DEFAULT_CLIENT_CA_DIR);
  const read = (name: string) => readFileSync(join(published, name), "utf8");
  const server = tls.createServer(
    {
      key: readFileSync(join(space.dir, "server.key")),
      cert: readFileSync(join(space.dir, "server.pem")),
      requestCert: true,
      rejectUnauthorized: false,
      ca: trust.map((authority) => read(PUBLISHED_FILES[authority].caCertificate)),
      crl: trust.map((authority) => read(PUBLISHED_FILES[authority].crl)),
    },
    (socket) => {
      socket.end(socket.authorized ? "authorized\n" : `refused: ${String(socket.authorizationError)}\n`);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Connects with Node's TLS client and returns the server's answer. */
async function connect(port: number, credentials: { dir: string } | undefined): Promise<string> {
  const files = credentials ? { key: readFileSync(join(credentials.dir, "client.key")), cert: readFileSync(join(credentials.dir, "client.pem")) } : {};
  return new Promise((resolve, reject) => {
    let answer = "";
    const socket = tls.connect({ host: "127.0.0.1", port, rejectUnauthorized: false, ...files });
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("end", () => resolve(answer.trim()));
    socket.on("error", reject);
  });
}

describe("published CA bundles and CRLs in a TLS handshake", () => {
  let space: Workspace;
  let readers: Listener;
  let writers: Listener;
  const holders: Record<string, string> = {};

  beforeAll(async () => {
    space = await initializedWorkspace();
    openssl(
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "server.key",
        "-out",
        "server.pem",
      ],
      space.dir,
    );
    holders.alice = await issue(space, "alice", "developer", "alice");
    holders.mallory = await issue(space, "mallory", "developer", "mallory");
    holders.ci = await issue(space, "github-actions", "ci", "ci");
    expect((await space.certs("revoke", "--name", "mallory", "--reason", "key-compromise")).code).toBe(0);
    expect((await space.certs("publish")).code).toBe(0);
    readers = await listener(space, LISTENER_TRUST.readers);
    writers = await listener(space, LISTENER_TRUST.writers);
  });

  afterAll(async () => {
    await readers?.close();
    await writers?.close();
  });

  it("a developer's certificate opens the readers' listener, not the writers'", async () => {
    expect(await connect(readers.port, { dir: holders.alice ?? "" })).toBe("authorized");
    expect(await connect(writers.port, { dir: holders.alice ?? "" })).toBe("refused: UNABLE_TO_VERIFY_LEAF_SIGNATURE");
  });

  it("a CI certificate opens both", async () => {
    expect(await connect(readers.port, { dir: holders.ci ?? "" })).toBe("authorized");
    expect(await connect(writers.port, { dir: holders.ci ?? "" })).toBe("authorized");
  });

  it("a revoked certificate is refused by its CRL; no certificate at all is refused", async () => {
    expect(await connect(readers.port, { dir: holders.mallory ?? "" })).toBe("refused: CERT_REVOKED");
    expect(await connect(readers.port, undefined)).toMatch(/^refused: /);
  });

  it("the JDK loads client.key as Bazel's netty does (PKCS#8, tried as RSA, DSA, EC) and completes the handshake", async () => {
    const client = fileURLToPath(new URL("./support/NettyStyleTlsClient.java", import.meta.url));
    const run = (dir: string, port: number) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn("java", [client, join(dir, "client.pem"), join(dir, "client.key"), String(port)], { stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.on("close", (code) => resolve({ code, output }));
      });
    const result = await run(holders.ci ?? "", writers.port);
    expect(result.output).toContain("EC key loaded; server said: authorized");
    expect(result.code).toBe(0);
  });
});
