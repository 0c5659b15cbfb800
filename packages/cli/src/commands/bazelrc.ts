// `nativelink-aws bazelrc`: the Bazel flags for a deployment, ready to paste into `.bazelrc`.
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { DEFAULT_NAMES, bazelFlags, bazelrcLines, decideClientAuth, endpointsFromDomain, type Endpoints } from "../bazelrc/flags.js";
import { UsageError } from "../errors.js";
import { domainFlag, instanceNameFlag, labelFlag, outputsFlag, parseFlags, pathFlag } from "../flags.js";
import { writeJson, writeLines, type CliIo } from "../io.js";
import { readTerraformOutputs, requireOutput } from "../terraform-outputs.js";

/** Flags that shape the endpoints `--domain` computes; with `--outputs` the outputs name them. */
const domainOnlyFlags = ["casPrefix", "schedulerPrefix", "instanceName"] as const;

const bazelrcFlags = z
  .object({
    outputs: outputsFlag.optional(),
    domain: domainFlag.optional(),
    casPrefix: labelFlag.optional(),
    schedulerPrefix: labelFlag.optional(),
    instanceName: instanceNameFlag.optional(),
    clientCert: pathFlag("client.pem").optional(),
    clientKey: pathFlag("client.key").optional(),
    cacheOnly: z.boolean().default(false),
    json: z.boolean().default(false),
  })
  .refine((flags) => (flags.outputs === undefined) !== (flags.domain === undefined), { message: "give exactly one of --outputs FILE or --domain DOMAIN" })
  .superRefine((flags, context) => {
    if (flags.outputs === undefined) return;
    for (const key of domainOnlyFlags.filter((candidate) => flags[candidate] !== undefined)) {
      context.addIssue({ code: "custom", path: [key], message: "applies only with --domain; with --outputs FILE the endpoints and the instance name come from the outputs" });
    }
  });

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
    .option("--cas-prefix <label>", `with --domain: label of the CAS endpoint (default: ${DEFAULT_NAMES.casPrefix})`)
    .option("--scheduler-prefix <label>", `with --domain: label of the scheduler endpoint (default: ${DEFAULT_NAMES.schedulerPrefix})`)
    .option("--instance-name <name>", `with --domain: remote instance name, the cluster's instanceName (default: ${DEFAULT_NAMES.instanceName})`)
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
