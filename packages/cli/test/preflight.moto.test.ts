// preflight against moto (STS, Route 53) and a DNS server on loopback standing in for public DNS.
import { CreateHostedZoneCommand, GetHostedZoneCommand, Route53Client } from "@aws-sdk/client-route-53";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerIdentity } from "../src/preflight/aws-observations.js";
import { startDnsServer, type FakeDnsServer } from "./support/dns-server.js";
import { freePort } from "./support/fake-tools.js";
import { unique, useMoto } from "./support/moto.js";
import { runCli } from "./support/run-cli.js";

const { clientConfig } = useMoto();

/** Runs `work` with environment variables set (undefined: removed), then restores the environment. */
async function withEnvironment<T>(changes: Record<string, string | undefined>, work: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  try {
    return await work();
  } finally {
    process.env = saved;
  }
}
const route53 = new Route53Client(clientConfig);

async function publicZone(domain: string): Promise<string[]> {
  const created = await route53.send(new CreateHostedZoneCommand({ Name: domain, CallerReference: unique() }));
  const zone = await route53.send(new GetHostedZoneCommand({ Id: created.HostedZone?.Id }));
  return zone.DelegationSet?.NameServers ?? [];
}

async function privateZone(domain: string): Promise<void> {
  await route53.send(
    new CreateHostedZoneCommand({
      Name: domain,
      CallerReference: unique(),
      HostedZoneConfig: { PrivateZone: true },
      VPC: { VPCId: "vpc-12345678", VPCRegion: "us-east-1" },
    }),
  );
}

describe("preflight", () => {
  const delegated = `ok-${unique()}.example.com`;
  const missing = `missing-${unique()}.example.com`;
  const privateOnly = `private-${unique()}.example.com`;
  const wronglyDelegated = `wrong-${unique()}.example.com`;
  const undelegated = `undelegated-${unique()}.example.com`;
  let dns: FakeDnsServer;
  let zoneNameServers: string[];

  beforeAll(async () => {
    zoneNameServers = await publicZone(delegated);
    await publicZone(wronglyDelegated);
    await publicZone(undelegated);
    await privateZone(privateOnly);
    dns = await startDnsServer({
      // Public DNS answers with a trailing dot and other case: still the same servers.
      [delegated]: zoneNameServers.map((name) => `${name.toUpperCase()}.`),
      [wronglyDelegated]: ["ns1.old-provider.example.net", "ns2.old-provider.example.net"],
      [missing]: ["ns1.somewhere.example.net"],
    });
  });
  afterAll(() => dns.close());

  it("passes when credentials work, the public zone exists and public DNS delegates to it", async () => {
    const result = await runCli(["preflight", "--domain", delegated, "--resolver", dns.address]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\[ok\] {3}credentials: account \d{12} as arn:aws:/);
    expect(result.stdout).toMatch(/\[ok\] {3}hosted-zone: public hosted zone /);
    expect(result.stdout).toMatch(new RegExp(`\\[ok\\] {3}delegation: public DNS delegates ${delegated} to zone`));
    expect(dns.questions).toContain(delegated);
  });

  it("without a public zone: exit 1 and the README's steps to create one", async () => {
    const result = await runCli(["preflight", "--domain", missing, "--resolver", dns.address]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`[FAIL] hosted-zone: no public hosted zone named ${missing}`);
    expect(result.stdout).toContain("1. Login to AWS and go to Route53 (https://console.aws.amazon.com/route53/v2/hostedzones)");
    expect(result.stdout).toContain("2. Click `Create hosted zone`");
    expect(result.stdout).toContain(`3. Enter ${missing} as the domain name and ensure it's a \`Public hosted zone\``);
    expect(result.stdout).toContain("[skip] delegation: no public hosted zone to compare with");
    expect(result.stderr).toContain("preflight failed: hosted-zone");
  });

  it("a private zone of that name does not count", async () => {
    const result = await runCli(["preflight", "--domain", privateOnly, "--resolver", dns.address]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`no public hosted zone named ${privateOnly} (1 private zone of that name exist; private zones don't count)`);
  });

  it("a delegation to other name servers fails with the NS record to create", async () => {
    const result = await runCli(["preflight", "--domain", wronglyDelegated, "--resolver", dns.address]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `[FAIL] delegation: public DNS delegates ${wronglyDelegated} to ns1.old-provider.example.net ` +
        `ns2.old-provider.example.net, not to the hosted zone's name servers`,
    );
    expect(result.stdout).toContain("expand `Hosted zone details` and copy the `Name servers`: ns-");
    expect(result.stdout).toContain(
      "In the DNS server that your domain is currently hosted under (it may be another Route53 hosted zone) create a new `NS` record",
    );
    expect(result.stdout).toContain("It may take a few minutes to propagate.");
  });

  it("no delegation at all (NXDOMAIN) fails with the same fix", async () => {
    const result = await runCli(["preflight", "--domain", undelegated, "--resolver", dns.address]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`[FAIL] delegation: resolver ${dns.address} answered no NS records for ${undelegated} (ENOTFOUND)`);
    expect(result.stdout).toContain("create a new `NS` record");
  });

  it("--json prints the checks as data", async () => {
    const result = await runCli(["preflight", "--domain", delegated, "--resolver", dns.address, "--json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: { id: string; status: string }[] };
    expect(report.ok).toBe(true);
    expect(report.checks.map((check) => [check.id, check.status])).toEqual([
      ["credentials", "pass"],
      ["hosted-zone", "pass"],
      ["delegation", "pass"],
    ]);
  });

  it("no credentials: exit 3 with the README's fix, zone check skipped", async () => {
    const empty = mkdtempSync(join(tmpdir(), "aws-config-"));
    writeFileSync(join(empty, "config"), "");
    const noCredentials = {
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_CONFIG_FILE: join(empty, "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(empty, "config"),
      AWS_EC2_METADATA_DISABLED: "true",
    };
    const result = await withEnvironment(noCredentials, () =>
      runCli(["preflight", "--domain", delegated, "--resolver", dns.address, "--profile", "no-such-profile"]),
    );
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/\[FAIL\] credentials: no AWS credentials found \(CredentialsProviderError: /);
    expect(result.stdout).toContain(
      "Ensure you have a configured AWS CLI IAM credentialed user (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html)",
    );
    expect(result.stdout).toContain("[skip] hosted-zone: needs working credentials");
  });

  it("needs no region: without one it asks STS and Route 53 through us-east-1 and says so", async () => {
    const result = await withEnvironment(
      { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_PROFILE: undefined, AWS_CONFIG_FILE: "/nonexistent/config" },
      () => runCli(["preflight", "--domain", delegated, "--resolver", dns.address]),
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("region: us-east-1 (no region configured; STS and Route 53 are global, so preflight needs none)");
    expect(result.stdout).toMatch(/\[ok\] {3}credentials: account \d{12}/);
    const json = await withEnvironment({ AWS_REGION: undefined, AWS_CONFIG_FILE: "/nonexistent/config" }, () =>
      runCli(["preflight", "--domain", delegated, "--resolver", dns.address, "--json"]),
    );
    expect((JSON.parse(json.stdout) as { region: unknown }).region).toEqual({ name: "us-east-1", configured: false });
  });

  it("a configured region is used and printed as is", async () => {
    const result = await runCli(["preflight", "--domain", delegated, "--resolver", dns.address, "--region", "eu-west-2"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("region: eu-west-2\n");
  });

  it("an endpoint that cannot be reached is blamed, not the credentials: exit 3, naming the endpoint", async () => {
    const closedPort = await freePort();
    const result = await withEnvironment({ AWS_ENDPOINT_URL: `http://127.0.0.1:${closedPort}` }, () =>
      runCli(["preflight", "--domain", delegated, "--resolver", dns.address]),
    );
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(
      `[FAIL] credentials: could not reach AWS STS at http://127.0.0.1:${closedPort} (ECONNREFUSED: ` +
        `connect ECONNREFUSED 127.0.0.1:${closedPort}); the credentials are not tested yet`,
    );
    expect(result.stdout).toContain("check this machine's network connection and DNS; if AWS_ENDPOINT_URL is set, check that something answers there");
    expect(result.stdout).not.toMatch(/credentialed user|did not accept/);
    expect(result.stdout).toContain("[skip] hosted-zone: needs AWS to be reachable");
  });

  it("an endpoint that accepts and never answers times out as unreachable, naming it", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const answer = await withEnvironment({ AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` }, () =>
        callerIdentity({ region: "us-east-1" }, { socketTimeoutMs: 300, maxAttempts: 1 }),
      );
      expect(answer).toMatchObject({ ok: false, kind: "unreachable", code: "TimeoutError", endpoint: `http://127.0.0.1:${port}` });
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it("a resolver that does not answer fails the delegation check, naming the resolver", async () => {
    const silent = await startDnsServer({});
    await silent.close(); // nothing listens on its port any more
    const result = await runCli(["preflight", "--domain", delegated, "--resolver", silent.address]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`\\[FAIL\\] delegation: resolver ${silent.address} answered no NS records .*\\((ECONNREFUSED|ETIMEOUT)\\)`));
    expect(result.stdout).toContain(`Check that resolver ${silent.address} answers DNS queries`);
  }, 20_000);

  it.each([
    [["preflight"], /required option '--domain <domain>' not specified/],
    [["preflight", "--domain", "not a domain"], /--domain: "not a domain" is not a domain name such as build.example.com/],
    [["preflight", "--domain", "example.com", "--resolver", "dns.google"], /--resolver: "dns.google" is not an IP address/],
    [["preflight", "--domain", "example.com", "--resolver", "127.0.0.1:70000"], /--resolver: port 70000 is not between 1 and 65535/],
    [["preflight", "--domain", "example.com", "--region", "mars-1"], /--region: "mars-1" is not an AWS region such as us-east-1/],
  ])("usage error %j: exit 2", async (argv, message) => {
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
