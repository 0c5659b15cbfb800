// Every command answers --help with its flags, an example and its exit codes; bad command lines exit 2.
import { describe, expect, it } from "vitest";
import { cliVersion } from "../src/program.js";
import { runCli } from "./support/run-cli.js";

describe("--help", () => {
  it.each([
    [
      ["preflight"],
      ["--domain <domain>", "--resolver <host[:port]>", "--json", "--region <region>", "--profile <name>", "Exit codes: 0 all checks passed, 1 a check failed"],
    ],
    [
      ["bazelrc"],
      [
        "--outputs <file>",
        "--domain <domain>",
        "--cas-prefix <label>",
        "--scheduler-prefix <label>",
        "--instance-name <name>",
        "--client-cert <file>",
        "--client-key <file>",
        "--json",
        "Exit codes: 0 printed, 2 usage error",
      ],
    ],
    [
      ["local-proxy", "init"],
      [
        "--bucket <name>",
        "--region <region>",
        "--port <port>",
        '(default: "50051")',
        "--cache-dir <dir>",
        "--dir <dir>",
        "--force",
        "Exit codes: 0 written, 2 usage error, 4 a file exists",
      ],
    ],
    [
      ["purge"],
      [
        "--bucket <name>",
        "--outputs <file>",
        "--deployment <name>",
        "--dry-run",
        "--yes",
        "--json",
        "--region <region>",
        "--profile <name>",
        "130 interrupted",
      ],
    ],
    [
      ["status"],
      [
        "--domain <domain>",
        "--outputs <file>",
        "--deployment <name>",
        "--json",
        "--region <region>",
        "--profile <name>",
        "Exit codes: 0 the DNS record agrees",
      ],
    ],
    [["init"], ["[dir]", "--deployment <name>", "--force", "Exit codes: 0 written, 2 usage error, 4 a file exists"]],
    [
      ["cost"],
      [
        "--stack <file>",
        "--worker-vcpu-hours <n>",
        "--stored-gib <n>",
        "--hourly <type=price...>",
        "--compare-original",
        "--json",
        "Exit codes: 0 printed, 2 usage error",
      ],
    ],
  ])("%j --help lists its flags and exit codes", async (command, expected) => {
    const result = await runCli([...command, "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: nativelink-aws ${command.join(" ")} [options]`);
    for (const text of expected) expect(result.stdout).toContain(text);
  });

  it("the program's help lists every command, the exit codes and how region/profile resolve", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    for (const command of ["preflight", "bazelrc", "local-proxy", "purge", "status", "init", "cost"])
      expect(result.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    expect(result.stdout).toContain("130  interrupted (Ctrl-C)");
    expect(result.stdout).toContain("Region and profile: --region/--profile, else AWS_REGION/AWS_PROFILE");
  });

  it("`help purge` works like `purge --help`, `local-proxy --help` lists init", async () => {
    expect((await runCli(["help", "purge"])).stdout).toBe((await runCli(["purge", "--help"])).stdout);
    const group = await runCli(["local-proxy", "--help"]);
    expect(group.code).toBe(0);
    expect(group.stdout).toMatch(/^ {2}init \[options\]/m);
  });

  it("--version prints the package version", async () => {
    const result = await runCli(["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(cliVersion());
  });
});

describe("bad command lines exit 2", () => {
  it.each([
    [[], /Usage: nativelink-aws/],
    [["deploy"], /unknown command 'deploy'/],
    [["local-proxy"], /Usage: nativelink-aws local-proxy/],
    [["local-proxy", "init", "--port", "0", "--bucket", "abc", "--region", "us-east-1"], /--port: "0" is less than 1, e.g. 50051/],
    [["local-proxy", "init", "--port", "http", "--bucket", "abc", "--region", "us-east-1"], /--port: "http" is not a whole number, e.g. 50051/],
    [["local-proxy", "init", "--instance-name", "", "--bucket", "abc", "--region", "us-east-1"], /--instance-name: is empty/],
    [["local-proxy", "init", "--region", "us-east-1"], /give --bucket NAME \(the deployment's CAS bucket\) or --outputs FILE/],
    [["local-proxy", "init", "--bucket", "A", "--region", "us-east-1", "--dir", "/nonexistent-never"], /--bucket: "A" is not an S3 bucket name/],
    [
      ["local-proxy", "init", "--bucket", "abc", "--region", "us-east-1", "--cache-max-size", "lots", "--cache-dir", "/tmp/x", "--dir", "/nonexistent-never"],
      /--cache-max-size: "lots" is not a size/,
    ],
    [["status", "--json", "extra"], /too many arguments/],
  ])("%j", async (argv, message) => {
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it("local-proxy init without a region anywhere says to pass --region", async () => {
    const saved = { ...process.env };
    for (const name of ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"]) delete process.env[name];
    Object.assign(process.env, { AWS_CONFIG_FILE: "/nonexistent/config", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials" });
    try {
      const result = await runCli(["local-proxy", "init", "--bucket", "abc", "--dir", "/nonexistent-never"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("--region: no region given and none in AWS_REGION or the AWS profile");
    } finally {
      process.env = saved;
    }
  });
});
