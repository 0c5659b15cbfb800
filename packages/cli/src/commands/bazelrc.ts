// `nativelink-aws bazelrc`: the Bazel flags for a deployment, ready to paste into `.bazelrc`.
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { bazelFlags, bazelrcLines, decideClientAuth, endpointsFromDomain, type Endpoints } from "../bazelrc/flags.js";
import { UsageError } from "../errors.js";
import { domainFlag, labelFlag, parseFlags } from "../flags.js";
import { writeJson, writeLines, type CliIo } from "../io.js";
import { readTerraformOutputs, requireOutput } from "../terraform-outputs.js";

const bazelrcFlags = z
  .object({
    outputs: z.string().min(1).optional(),
    domain: domainFlag.optional(),
    casPrefix: labelFlag.default("cas"),
    schedulerPrefix: labelFlag.default("scheduler"),
    instanceName: z.string().regex(/^[A-Za-z0-9_./-]*$/, "is not a REAPI instance name").default("main"),
    clientCert: z.string().min(1).optional(),
    clientKey: z.string().min(1).optional(),
    cacheOnly: z.boolean().default(false),
    json: z.boolean().default(false),
  })
  .refine((flags) => (flags.outputs === undefined) !== (flags.domain === undefined), { message: "give exactly one of --outputs FILE or --domain DOMAIN" });

async function readableFile(path: string, flag: string, cwd: string): Promise<string> {
  const absolute = resolve(cwd, path);
  try {
    await access(absolute, constants.R_OK);
  } catch {
    throw new UsageError(`${flag} ${path}: no readable file there`);
  }
  return absolute;
}

export function registerBazelrc(program: Command, io: CliIo): void {
  program
    .command("bazelrc")
    .description("Print the Bazel flags for a deployment, ready to paste into .bazelrc.")
    .option("--outputs <file>", "Terraform outputs of the stack (`terraform output -json > outputs.json`)")
    .option("--domain <domain>", "compute the endpoints from the base domain instead")
    .option("--cas-prefix <label>", "with --domain: label of the CAS endpoint", "cas")
    .option("--scheduler-prefix <label>", "with --domain: label of the scheduler endpoint", "scheduler")
    .option("--instance-name <name>", "with --domain: remote instance name", "main")
    .option("--client-cert <file>", "client certificate (PEM), when the deployment authenticates clients")
    .option("--client-key <file>", "the client certificate's private key (PEM)")
    .option("--cache-only", "remote cache only, without remote execution")
    .option("--json", "print the flags as JSON")
    .addHelpText("after", "\nExit codes: 0 printed, 2 usage error (bad flags, unreadable or malformed outputs, missing client certificate flags).\n\nExamples:\n  terraform output -json > outputs.json && nativelink-aws bazelrc --outputs outputs.json >> .bazelrc\n  nativelink-aws bazelrc --domain build.example.com")
    .action(async (raw: unknown) => {
      const flags = parseFlags(bazelrcFlags, raw);
      let endpoints: Endpoints;
      let required = false;
      let source: string;
      if (flags.outputs !== undefined) {
        const outputs = await readTerraformOutputs(flags.outputs, io.cwd);
        endpoints = {
          casEndpoint: requireOutput(outputs, "cas_endpoint", flags.outputs),
          schedulerEndpoint: requireOutput(outputs, "scheduler_endpoint", flags.outputs),
          instanceName: requireOutput(outputs, "remote_instance_name", flags.outputs),
        };
        required = outputs.client_certificate_required ?? false;
        source = `from the Terraform outputs in ${flags.outputs}`;
      } else {
        endpoints = endpointsFromDomain(flags.domain ?? "", flags);
        source = `computed from the domain ${flags.domain}`;
      }
      const auth = decideClientAuth({ required, certificate: flags.clientCert, key: flags.clientKey });
      const clientAuth = auth && {
        certificate: await readableFile(auth.certificate, "--client-cert", io.cwd),
        key: await readableFile(auth.key, "--client-key", io.cwd),
      };
      const input = { ...endpoints, source, clientAuth, cacheOnly: flags.cacheOnly };
      if (flags.json) writeJson(io.stdout, { ...endpoints, clientCertificate: clientAuth !== undefined, flags: bazelFlags(input) });
      else writeLines(io.stdout, bazelrcLines(input));
    });
}
