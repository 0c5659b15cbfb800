// bazelrc: from `terraform output -json` or from the domain; client certificates when required.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { bazelFlags, checkCertificateKind, checkClientCertificate, decideClientAuth } from "../src/bazelrc/flags.js";
import { clientSubject, parseClientSubject } from "../src/certs/policy.js";
import { initializedWorkspace, issue } from "./support/certs.js";
import { runCli } from "./support/run-cli.js";

const output = (value: unknown, type: unknown = "string") => ({ value, type, sensitive: false });
const stackOutputs = {
  cas_endpoint: output("grpcs://cas.build.example.com"),
  cas_writers_endpoint: output("grpcs://cas.build.example.com:8443"),
  scheduler_endpoint: output("grpcs://scheduler.build.example.com"),
  remote_instance_name: output("main"),
  bazel_flags: output("--remote_cache=grpcs://cas.build.example.com ..."),
  cas_bucket_name: output("nativelink-cas-123456789012-us-east-1"),
};

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "bazelrc-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe("bazelrc", () => {
  it("prints build lines from the Terraform outputs, with the extras and why", async () => {
    const dir = workspace({ "outputs.json": JSON.stringify(stackOutputs) });
    const result = await runCli(["bazelrc", "--outputs", "outputs.json"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        "# NativeLink on AWS (from the Terraform outputs in outputs.json; for a developer), written by `nativelink-aws bazelrc`.",
        "build --remote_cache=grpcs://cas.build.example.com",
        "build --remote_executor=grpcs://scheduler.build.example.com",
        "build --remote_instance_name=main",
        "# An action's Execute stream can stay silent for minutes; the load balancer allows 600 s.",
        "build --remote_timeout=600",
        "# Keeps each machine's PATH out of action keys, so machines share cache hits.",
        "build --incompatible_strict_action_env",
        "# A developer's endpoint serves the action cache read-only: results built here stay here (CI writes them).",
        "build --remote_upload_local_results=false",
        "",
      ].join("\n"),
    );
  });

  it("--role ci points the remote cache at the writers' listener and uploads local results", async () => {
    const dir = workspace({ "outputs.json": JSON.stringify(stackOutputs) });
    const result = await runCli(["bazelrc", "--outputs", "outputs.json", "--role", "ci", "--json"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      role: "ci",
      flags: [
        "--remote_cache=grpcs://cas.build.example.com:8443",
        "--remote_executor=grpcs://scheduler.build.example.com",
        "--remote_instance_name=main",
        "--remote_timeout=600",
        "--incompatible_strict_action_env",
      ],
    });
  });

  it("--role ci needs the writers' endpoint: from the outputs (exit 2 naming it when absent) or --domain and --writers-port", async () => {
    const { cas_writers_endpoint: _, ...older } = stackOutputs;
    const missing = await runCli(["bazelrc", "--outputs", "outputs.json", "--role", "ci"], { cwd: workspace({ "outputs.json": JSON.stringify(older) }) });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('outputs.json has no output "cas_writers_endpoint"');
    expect((await runCli(["bazelrc", "--outputs", "outputs.json"], { cwd: workspace({ "outputs.json": JSON.stringify(older) }) })).code).toBe(0);
    const domain = await runCli(["bazelrc", "--domain", "build.example.com", "--role", "ci", "--writers-port", "9443"]);
    expect(domain.stdout).toContain("build --remote_cache=grpcs://cas.build.example.com:9443\n");
    expect(domain.stdout).not.toContain("remote_upload_local_results");
  });

  it("--client-dir takes the files certs issue wrote, and refuses a certificate of the other kind", async () => {
    const space = await initializedWorkspace();
    await issue(space, "alice", "developer", "alice");
    await issue(space, "github-actions", "ci", "ci");
    writeFileSync(join(space.dir, "outputs.json"), JSON.stringify({ ...stackOutputs, client_certificate_required: output(true, "bool") }));
    const developer = await runCli(["bazelrc", "--outputs", "outputs.json", "--client-dir", "alice"], { cwd: space.dir });
    expect(developer.code).toBe(0);
    expect(developer.stdout).toContain(`build --tls_client_certificate=${join(space.dir, "alice", "client.pem")}\n`);
    expect(developer.stdout).toContain(`build --tls_client_key=${join(space.dir, "alice", "client.key")}\n`);
    expect((await runCli(["bazelrc", "--outputs", "outputs.json", "--role", "ci", "--client-dir", "ci"], { cwd: space.dir })).code).toBe(0);
    const mismatch = await runCli(["bazelrc", "--outputs", "outputs.json", "--role", "ci", "--client-dir", "alice"], { cwd: space.dir });
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain(
      `--role ci, but ${join(space.dir, "alice", "client.pem")} is a developer certificate (OU=developer); the writers' listener trusts only the CI CA`,
    );
    expect(mismatch.stdout).toBe("");
  });

  it("refuses an expired client certificate (exit 2), naming the command that issues a new one", async () => {
    const space = await initializedWorkspace();
    await issue(space, "alice", "developer", "alice", "1");
    writeFileSync(join(space.dir, "outputs.json"), JSON.stringify({ ...stackOutputs, client_certificate_required: output(true, "bool") }));
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 2 * 86_400_000 });
    try {
      const result = await runCli(["bazelrc", "--outputs", "outputs.json", "--client-dir", "alice"], { cwd: space.dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        new RegExp(
          `${join(space.dir, "alice", "client.pem").replaceAll(".", "\\.")} expired on \\S+: the load balancer refuses it in the TLS handshake\\. ` +
            "Fix: issue a new one: nativelink-aws certs issue --deployment demo --name alice --kind developer --out <dir>, then run bazelrc with it",
        ),
      );
      expect(result.stdout).toBe("");
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses a key that is not the certificate's (exit 2), and says which files to pass", async () => {
    const space = await initializedWorkspace();
    await issue(space, "alice", "developer", "alice");
    await issue(space, "bob", "developer", "bob");
    writeFileSync(join(space.dir, "outputs.json"), JSON.stringify({ ...stackOutputs, client_certificate_required: output(true, "bool") }));
    const result = await runCli(["bazelrc", "--outputs", "outputs.json", "--client-cert", "alice/client.pem", "--client-key", "bob/client.key"], {
      cwd: space.dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${join(space.dir, "bob", "client.key")} is not the private key of ${join(space.dir, "alice", "client.pem")}: the TLS handshake would fail. ` +
        "Fix: pass the client.key that `certs issue` wrote beside that client.pem (--client-dir DIR takes both), or issue a new one:",
    );
    expect(result.stdout).toBe("");
    const matching = await runCli(["bazelrc", "--outputs", "outputs.json", "--client-cert", "alice/client.pem", "--client-key", "alice/client.key"], {
      cwd: space.dir,
    });
    expect(matching.code, matching.stderr).toBe(0);
  });

  it("computes the endpoints from --domain with the prefixes and instance name", async () => {
    const result = await runCli([
      "bazelrc",
      "--domain",
      "Build.Example.com.",
      "--cas-prefix",
      "cache",
      "--scheduler-prefix",
      "exec",
      "--instance-name",
      "ci",
      "--json",
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      casEndpoint: "grpcs://cache.build.example.com",
      casWritersEndpoint: "grpcs://cache.build.example.com:8443",
      schedulerEndpoint: "grpcs://exec.build.example.com",
      instanceName: "ci",
      role: "developer",
      clientCertificate: false,
      flags: [
        "--remote_cache=grpcs://cache.build.example.com",
        "--remote_executor=grpcs://exec.build.example.com",
        "--remote_instance_name=ci",
        "--remote_timeout=600",
        "--incompatible_strict_action_env",
        "--remote_upload_local_results=false",
      ],
    });
  });

  it("--cache-only leaves out the executor", async () => {
    const result = await runCli(["bazelrc", "--domain", "build.example.com", "--cache-only"]);
    expect(result.stdout).not.toContain("remote_executor");
    expect(result.stdout).toContain("build --remote_cache=grpcs://cas.build.example.com");
  });

  it("requires --client-cert and --client-key when the outputs say client_certificate_required (exit 2 naming them)", async () => {
    const dir = workspace({
      "outputs.json": JSON.stringify({ ...stackOutputs, client_certificate_required: output(true, "bool") }),
      "client.pem": "cert",
      "client.key": "key",
    });
    const missing = await runCli(["bazelrc", "--outputs", "outputs.json"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      "the deployment requires client certificates (output client_certificate_required = true): add --client-dir DIR " +
        "(what `nativelink-aws certs issue --out DIR` wrote), or --client-cert FILE --client-key FILE",
    );
    expect(missing.stdout).toBe("");

    const given = await runCli(["bazelrc", "--outputs", "outputs.json", "--client-cert", "client.pem", "--client-key", "client.key"], { cwd: dir });
    expect(given.code).toBe(0);
    expect(given.stdout).toContain(`build --tls_client_certificate=${join(dir, "client.pem")}\n`);
    expect(given.stdout).toContain(`build --tls_client_key=${join(dir, "client.key")}\n`);
  });

  it.each([
    [["bazelrc"], {}, /give exactly one of --outputs FILE or --domain DOMAIN/],
    [["bazelrc", "--domain", "a.example.com", "--outputs", "o.json"], {}, /give exactly one of --outputs FILE or --domain DOMAIN/],
    [["bazelrc", "--outputs", "missing.json"], {}, /cannot read --outputs missing.json: ENOENT/],
    [["bazelrc", "--outputs", "o.json"], { "o.json": "not json" }, /o.json is not JSON .*terraform output -json > o.json/],
    [["bazelrc", "--outputs", "o.json"], { "o.json": '{"cas_endpoint": "grpcs://x"}' }, /is not `terraform output -json` output/],
    [["bazelrc", "--outputs", "o.json"], { "o.json": JSON.stringify({ cas_endpoint: output("grpcs://x") }) }, /o.json has no output "scheduler_endpoint"/],
    [
      ["bazelrc", "--outputs", "o.json"],
      { "o.json": JSON.stringify({ ...stackOutputs, cas_endpoint: output("https://x") }) },
      /output cas_endpoint is not a grpc:\/\/ or grpcs:\/\/ URL/,
    ],
    [
      ["bazelrc", "--outputs", "o.json"],
      { "o.json": JSON.stringify({ ...stackOutputs, client_certificate_required: output("yes") }) },
      /output client_certificate_required/,
    ],
    [["bazelrc", "--domain", "example.com", "--client-cert", "c.pem"], {}, /--client-cert needs --client-key FILE/],
    [["bazelrc", "--domain", "example.com", "--client-cert", "c.pem", "--client-key", "k.pem"], {}, /--client-cert c.pem: no readable file there/],
    [["bazelrc", "--domain", "example.com", "--cas-prefix", "a.b"], {}, /--cas-prefix: "a.b" is not a DNS label \(a-z, 0-9 and -\), e.g. cas/],
    [
      ["bazelrc", "--domain", "example.com", "--instance-name", ""],
      {},
      /--instance-name: is empty: Bazel would then ask for the unnamed instance, .* leave the flag out for the default main/,
    ],
    [["bazelrc", "--domain", "example.com", "--instance-name", "x/blobs"], {}, /--instance-name: "x\/blobs" has the segment "blobs", which REAPI reserves/],
    [
      ["bazelrc", "--outputs", "o.json", "--instance-name", "ci"],
      {},
      /--instance-name: applies only with --domain; with --outputs FILE the endpoints and the instance name come from the outputs/,
    ],
    [["bazelrc", "--outputs", "o.json", "--cas-prefix", "cas"], {}, /--cas-prefix: applies only with --domain/],
    [["bazelrc", "--outputs", "o.json", "--scheduler-prefix", "exec"], {}, /--scheduler-prefix: applies only with --domain/],
    [["bazelrc", "--outputs", "o.json", "--writers-port", "9443"], {}, /--writers-port: applies only with --domain/],
    [["bazelrc", "--domain", "example.com", "--writers-port", "0"], {}, /--writers-port: "0" is less than 1, e.g. 8443/],
    [["bazelrc", "--domain", "example.com", "--role", "admin"], {}, /--role: "admin" must be developer or ci/],
    [
      ["bazelrc", "--domain", "example.com", "--client-dir", "alice", "--client-key", "k.pem"],
      {},
      /--client-dir names both files already: leave out --client-cert and --client-key/,
    ],
    [["bazelrc", "--domain", "example.com", "--client-dir", "nowhere"], {}, /--client-dir nowhere\/client\.pem: no readable file there/],
    [["bazelrc", "--domain", "example.com", "--unknown"], {}, /unknown option '--unknown'/],
  ])("usage error %j: exit 2", async (argv, files, message) => {
    const result = await runCli(argv, { cwd: workspace(files) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

describe("client certificate decision", () => {
  it.each([
    [{ required: false }, undefined],
    [
      { required: false, certificate: "c", key: "k" },
      { certificate: "c", key: "k" },
    ],
    [
      { required: true, certificate: "c", key: "k" },
      { certificate: "c", key: "k" },
    ],
  ])("%j → %j", (input, expected) => {
    expect(decideClientAuth(input)).toEqual(expected);
  });

  it.each([
    [{ required: true }, /requires client certificates/],
    [{ required: true, certificate: "c" }, /--client-cert needs --client-key/],
    [{ required: false, key: "k" }, /--client-key needs --client-cert/],
  ])("%j is refused", (input, message) => {
    expect(() => decideClientAuth(input)).toThrow(message);
  });

  it("adds the TLS lines after the others", () => {
    const flags = bazelFlags({
      casEndpoint: "grpcs://c",
      schedulerEndpoint: "grpcs://s",
      instanceName: "main",
      source: "t",
      clientAuth: { certificate: "/c", key: "/k" },
    });
    expect(flags.slice(-2)).toEqual(["--tls_client_certificate=/c", "--tls_client_key=/k"]);
  });

  it.each([
    [
      { required: true, dir: "alice" },
      { certificate: "alice/client.pem", key: "alice/client.key" },
    ],
    [
      { required: false, dir: "/certs/ci/" },
      { certificate: "/certs/ci/client.pem", key: "/certs/ci/client.key" },
    ],
  ])("--client-dir %j → %j", (input, expected) => {
    expect(decideClientAuth(input)).toEqual(expected);
  });

  it.each([
    ["developer", "developer", undefined],
    ["ci", "ci", undefined],
    ["developer", undefined, undefined],
    ["ci", "ops", undefined],
    ["ci", "developer", /--role ci, but c\.pem is a developer certificate \(OU=developer\); the writers' listener trusts only the CI CA/],
    ["developer", "ci", /--role developer, but c\.pem is a ci certificate \(OU=ci\); a CI certificate can read too, but developers get their own/],
  ] as const)("role %s with a %s certificate", (role, kind, refusal) => {
    if (refusal) expect(() => checkCertificateKind(role, kind, "c.pem")).toThrow(refusal);
    else expect(() => checkCertificateKind(role, kind, "c.pem")).not.toThrow();
  });

  const NOW = new Date("2026-12-04T00:00:00Z");
  const alice = { path: "c.pem", keyPath: "c.key", holder: { name: "alice", kind: "developer", deployment: "demo" } };
  it.each([
    ["valid, its own key", { notAfter: new Date("2027-01-01T00:00:00Z"), keyMatches: true }, undefined],
    ["valid, a key this check cannot parse", { notAfter: new Date("2027-01-01T00:00:00Z"), keyMatches: undefined }, undefined],
    [
      "expired at this instant",
      { notAfter: NOW, keyMatches: true },
      /^c\.pem expired on 2026-12-04T00:00:00\.000Z: .* --deployment demo --name alice --kind developer /,
    ],
    ["valid, another certificate's key", { notAfter: new Date("2027-01-01T00:00:00Z"), keyMatches: false }, /^c\.key is not the private key of c\.pem/],
  ] as const)("a developer's certificate, %s", (_label, certificate, refusal) => {
    const check = () => checkClientCertificate("developer", { ...alice, ...certificate }, NOW);
    if (refusal) expect(check).toThrow(refusal);
    else expect(check).not.toThrow();
  });

  it("reads back the subject certs issue writes (node:crypto prints one field per line)", () => {
    const printed = clientSubject("demo", "ci", "github-actions").split(", ").join("\n");
    expect(parseClientSubject(printed)).toEqual({ name: "github-actions", kind: "ci", deployment: "demo" });
  });
});
