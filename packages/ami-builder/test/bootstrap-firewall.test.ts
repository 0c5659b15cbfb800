/**
 * The workers' firewall, for real: the bootstrap installs its iptables rules in a network namespace of the test's own,
 * where the fake metadata service listens on 169.254.169.254:80 and [fd00:ec2::254]:80 and a stand-in for the
 * scheduler's worker API on port 50061. Then the requests of every uid of the action pool fail and root's succeed.
 */
import { rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeImds, type FakeImds } from "./helpers/fake-imds.js";
import { ROOT_VOLUME } from "./helpers/fake-tools.js";
import { BOOTSTRAP, FakeInstance } from "./helpers/instance.js";
import { NetworkNamespace } from "./helpers/netns.js";

/** The pool of action uids (the image's nativelink-action-<n>; no account on this machine): its first, a middle and its last slot. */
const ACTION_UIDS = "70000-70255";
const SLOT_UIDS = ["70000", "70137", "70255"];
/** Just outside the pool: not an action's uid, so the firewall leaves it alone. */
const OUTSIDE_UIDS = ["69999", "70256"];

const available = NetworkNamespace.available();

/** A TCP server in the namespace that accepts and closes connections. */
async function serveIn(namespace: NetworkNamespace, host: string, port: number): Promise<Server> {
  const handle = await namespace.listen(host, port);
  const server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(handle, resolve));
  return server;
}

describe.skipIf(!available)(`worker firewall in a network namespace${available ? "" : " (skipped: needs root, ip and iptables)"}`, () => {
  let namespace: NetworkNamespace;
  let imds: FakeImds[] = [];
  let workerApi: Server;
  let instance: FakeInstance;

  const bootstrap = () =>
    namespace.run(BOOTSTRAP, [], {
      // The fake disk tools, but the real iptables and ip6tables.
      PATH: `${instance.bin}:${process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin"}`,
      NATIVELINK_ROOT: instance.root,
      FAKE_STATE: instance.state,
      IMDS_ENDPOINT: "http://169.254.169.254",
      IMDS_RETRIES: "0",
    });

  /** An IMDSv2 token request, as `user` (root when undefined). */
  const tokenRequest = (host: string, user?: string) => {
    const curl = ["curl", "--silent", "--show-error", "--max-time", "5", "-X", "PUT"];
    curl.push("-H", "X-aws-ec2-metadata-token-ttl-seconds: 60", `http://${host}/latest/api/token`);
    return user ? namespace.run("setpriv", [`--reuid=${user}`, `--regid=${user}`, "--clear-groups", ...curl]) : namespace.run(curl[0]!, curl.slice(1));
  };

  /** Opens a TCP connection to 127.0.0.1:`port`, as `user` (root when undefined). */
  const connectTo = (port: number, user?: string) => {
    const probe = ["bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${port}`];
    return user ? namespace.run("setpriv", [`--reuid=${user}`, `--regid=${user}`, "--clear-groups", ...probe]) : namespace.run(probe[0]!, probe.slice(1));
  };

  beforeAll(async () => {
    namespace = NetworkNamespace.create();
    const tags = { "nativelink:role": "worker", "nativelink:deployment": "nativelink" };
    imds = [
      await startFakeImds({ tags, listen: { handle: await namespace.listen("169.254.169.254", 80), endpoint: "http://169.254.169.254" } }),
      await startFakeImds({ tags, listen: { handle: await namespace.listen("fd00:ec2::254", 80), endpoint: "http://[fd00:ec2::254]" } }),
    ];
    workerApi = await serveIn(namespace, "0.0.0.0", 50061);
    instance = new FakeInstance([ROOT_VOLUME]);
    for (const fake of ["iptables", "ip6tables"]) rmSync(join(instance.bin, fake));
    instance.writeRoleFile([
      "NATIVELINK_ROLE=worker",
      "NATIVELINK_DEPLOYMENT=nativelink",
      "NATIVELINK_BUCKET=nativelink-cas-123456789012",
      "NATIVELINK_REGION=us-west-2",
      "NATIVELINK_SCHEDULER_HOST=scheduler.internal.example.com",
      `NATIVELINK_ACTION_UIDS=${ACTION_UIDS}`,
    ]);
  });

  afterAll(async () => {
    for (const server of imds) await server.close();
    workerApi?.close();
    namespace?.remove();
    instance?.remove();
  });

  it("the bootstrap installs the rules (reaching metadata itself, as root) and writes the env file", async () => {
    const result = await bootstrap();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`firewall: action uids ${ACTION_UIDS} cannot reach instance metadata nor port 50061`);
    expect(instance.envValues()).toHaveProperty("NATIVELINK_SCHEDULER_HOST", "scheduler.internal.example.com");
  });

  it("a request to the metadata address fails for the pool's first, a middle and its last uid; root's succeeds (IPv4)", async () => {
    for (const uid of SLOT_UIDS) {
      const action = await tokenRequest("169.254.169.254", uid);
      expect(action.code, uid).not.toBe(0);
      expect(action.stderr).toMatch(/Failed to connect|Connection refused/);
    }
    expect(await tokenRequest("169.254.169.254")).toMatchObject({ code: 0, stdout: "fake-imdsv2-token" });
  });

  it("the same over IPv6 (fd00:ec2::254)", async () => {
    for (const uid of SLOT_UIDS) {
      const action = await tokenRequest("[fd00:ec2::254]", uid);
      expect(action.code, uid).not.toBe(0);
      expect(action.stderr).toMatch(/Failed to connect|Connection refused/);
    }
    expect(await tokenRequest("[fd00:ec2::254]")).toMatchObject({ code: 0, stdout: "fake-imdsv2-token" });
  });

  it("the range ends where the pool does: uids just outside it get the token", async () => {
    for (const uid of OUTSIDE_UIDS) expect(await tokenRequest("169.254.169.254", uid), uid).toMatchObject({ code: 0, stdout: "fake-imdsv2-token" });
  });

  it("no uid of the pool can open a connection to the worker API port; root can", async () => {
    for (const uid of SLOT_UIDS) {
      const action = await connectTo(50061, uid);
      expect(action.code, uid).not.toBe(0);
      expect(action.stderr).toContain("Connection refused");
    }
    expect((await connectTo(50061)).code).toBe(0);
  });

  it("other destinations stay open to actions (the firewall is about credentials, not a network sandbox)", async () => {
    const other = await serveIn(namespace, "127.0.0.1", 8080);
    try {
      expect((await connectTo(8080, SLOT_UIDS[1])).code).toBe(0);
    } finally {
      other.close();
    }
  });

  it("is idempotent: a second run adds no rule, for IPv4 and IPv6", async () => {
    expect((await bootstrap()).code).toBe(0);
    for (const [tool, metadata] of [
      ["iptables", "169.254.169.254/32"],
      ["ip6tables", "fd00:ec2::254/128"],
    ] as const) {
      const rules = (await namespace.run(tool, ["-S", "OUTPUT"])).stdout.split("\n").filter((line) => line.startsWith("-A OUTPUT"));
      const owner = `-m owner --uid-owner ${ACTION_UIDS}`;
      const unreachable = tool === "iptables" ? "icmp-port-unreachable" : "icmp6-port-unreachable";
      expect(rules).toEqual([
        `-A OUTPUT -p tcp -m tcp --dport 50061 ${owner} -m comment --comment "nativelink: no worker API for actions" -j REJECT --reject-with tcp-reset`,
        `-A OUTPUT -d ${metadata} ${owner} -m comment --comment "nativelink: no instance metadata for actions" -j REJECT --reject-with ${unreachable}`,
      ]);
    }
  });
});
