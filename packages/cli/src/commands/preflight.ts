// `nativelink-aws preflight --domain D`: is this account and domain ready for `terraform apply`?
import type { Command } from "commander";
import { z } from "zod";
import { CliError, type ExitCode } from "../errors.js";
import { addAwsFlags, awsFlagsShape, domainFlag, parseFlags } from "../flags.js";
import { writeJson, writeLines, type CliIo } from "../io.js";
import { evaluatePreflight, preflightExitCode, preflightRegion, type CheckResult, type PreflightRegion } from "../preflight/checks.js";
import { queryNameServers, resolverFlag } from "../preflight/public-dns.js";

const preflightFlags = z.object({
  domain: domainFlag,
  resolver: resolverFlag.optional(),
  json: z.boolean().default(false),
  ...awsFlagsShape,
});

const marks = { pass: "[ok]  ", fail: "[FAIL]", skipped: "[skip]" } as const;

function describeRegion(region: PreflightRegion): string {
  return region.configured ? region.name : `${region.name} (no region configured; STS and Route 53 are global, so preflight needs none)`;
}

function renderText(domain: string, region: PreflightRegion, results: readonly CheckResult[]): string[] {
  const lines = [`Preflight for ${domain}`, `region: ${describeRegion(region)}`];
  for (const result of results) {
    lines.push(`${marks[result.status]} ${result.id}: ${result.summary}`);
    if (result.status === "fail" && result.fix) lines.push("       fix:", ...result.fix.map((step) => `         ${step}`));
  }
  return lines;
}

export function registerPreflight(program: Command, io: CliIo): void {
  const command = program
    .command("preflight")
    .description("Check the prerequisites: working AWS credentials, a public hosted zone for the domain, and its public DNS delegation. Needs no region.")
    .requiredOption("--domain <domain>", "the base domain you will deploy under, e.g. build.example.com")
    .option("--resolver <host[:port]>", "DNS resolver (IP address) to query for the delegation (default: the system resolver)")
    .option("--json", "print the results as JSON");
  addAwsFlags(command)
    .addHelpText(
      "after",
      "\nExit codes: 0 all checks passed, 1 a check failed (each failure prints its fix), 2 usage error, 3 AWS refused or failed to answer.\n\n" +
        "Example:\n  nativelink-aws preflight --domain build.example.com --resolver 8.8.8.8",
    )
    .action(async (raw: unknown) => {
      const flags = parseFlags(preflightFlags, raw);
      const [{ callerIdentity, hostedZones }, { resolveRegion }] = await Promise.all([import("../preflight/aws-observations.js"), import("../aws-region.js")]);
      const region = preflightRegion(flags.region ?? (await resolveRegion({ profile: flags.profile })));
      const target = { region: region.name, profile: flags.profile };
      const [identity, delegation] = await Promise.all([callerIdentity(target), queryNameServers(flags.domain, flags.resolver)]);
      const zones = identity.ok ? await hostedZones(target, flags.domain) : undefined;
      const resolverName = flags.resolver ? `resolver ${flags.resolver}` : "the system resolver";
      const results = evaluatePreflight({ domain: flags.domain, identity, zones, delegation, resolverName });
      const exitCode = preflightExitCode(results);
      if (flags.json) writeJson(io.stdout, { domain: flags.domain, region, ok: exitCode === 0, checks: results });
      else writeLines(io.stdout, renderText(flags.domain, region, results));
      if (exitCode !== 0) {
        const failed = results.filter((result) => result.status === "fail").map((result) => result.id);
        throw new CliError(`preflight failed: ${failed.join(", ")}`, exitCode as ExitCode);
      }
    });
}
