// `nativelink-aws bazelrc`: the Bazel flags for a deployment, ready to paste into `.bazelrc`.
import { X509Certificate, createPrivateKey } from "node:crypto";
import { constants } from "node:fs";
import { access, readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import {
  DEFAULT_NAMES,
  ROLES,
  bazelFlags,
  bazelrcLines,
  checkClientCertificate,
  decideClientAuth,
  endpointsFromDomain,
  type ClientCertificate,
  type Endpoints,
  type Role,
} from "../bazelrc/flags.js";
import { parseClientSubject } from "../certs/policy.js";
import { UsageError } from "../errors.js";
import {
  domainFlag,
  instanceNameFlag,
  integerFlag,
  labelFlag,
  outputsFlag,
  outputPrefixFlag,
  OUTPUT_PREFIX_OPTION,
  parseFlags,
  pathFlag,
  quoted,
} from "../flags.js";
import { writeJson, writeLines, type CliIo } from "../io.js";
import { readTerraformOutputs, requireOutput } from "../terraform-outputs.js";

/** Flags that shape the endpoints `--domain` computes; with `--outputs` the outputs name them. */
const domainOnlyFlags = ["casPrefix", "schedulerPrefix", "instanceName", "writersPort"] as const;

const bazelrcFlags = z
  .object({
    outputs: outputsFlag.optional(),
    outputPrefix: outputPrefixFlag.optional(),
    domain: domainFlag.optional(),
    casPrefix: labelFlag.optional(),
    schedulerPrefix: labelFlag.optional(),
    instanceName: instanceNameFlag.optional(),
    writersPort: integerFlag(1, 65535, String(DEFAULT_NAMES.writersPort)).optional(),
    role: z.enum(ROLES, { error: (issue) => `${quoted(issue.input)} must be developer or ci` }).default("developer"),
    clientDir: pathFlag("~/certs/alice (from `nativelink-aws certs issue --out`)").optional(),
    clientCert: pathFlag("client.pem").optional(),
    clientKey: pathFlag("client.key").optional(),
    cacheOnly: z.boolean().default(false),
    json: z.boolean().default(false),
  })
  .refine((flags) => (flags.outputs === undefined) !== (flags.domain === undefined), { message: "give exactly one of --outputs FILE or --domain DOMAIN" })
  .superRefine((flags, context) => {
    if (flags.outputs === undefined) return;
    for (const key of domainOnlyFlags.filter((candidate) => flags[candidate] !== undefined)) {
      context.addIssue({
        code: "custom",
        path: [key],
        message: "applies only with --domain; with --outputs FILE the endpoints and the instance name come from the outputs",
      });
    }
  });

/**
 * The client certificate and key as `checkClientCertificate` judges them, or undefined for a certificate that is not
 * PEM X.509 this check understands: Bazel then says what is wrong with it.
 */
async function readClientCertificate(path: string, keyPath: string): Promise<ClientCertificate | undefined> {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(await readFile(path));
  } catch {
    return undefined;
  }
  let keyMatches: boolean | undefined;
  try {
    keyMatches = certificate.checkPrivateKey(createPrivateKey(await readFile(keyPath)));
  } catch {
    keyMatches = undefined; // a key this check cannot parse: left to Bazel too
  }
  return { path, keyPath, holder: parseClientSubject(certificate.subject), notAfter: new Date(certificate.validTo), keyMatches };
}

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
    .option(...OUTPUT_PREFIX_OPTION)
    .option("--domain <domain>", "compute the endpoints from the base domain instead")
    .option("--cas-prefix <label>", `with --domain: label of the CAS endpoint (default: ${DEFAULT_NAMES.casPrefix})`)
    .option("--scheduler-prefix <label>", `with --domain: label of the scheduler endpoint (default: ${DEFAULT_NAMES.schedulerPrefix})`)
    .option("--instance-name <name>", `with --domain: remote instance name, the cluster's instanceName (default: ${DEFAULT_NAMES.instanceName})`)
    .option(
      "--writers-port <port>",
      `with --domain: port of the cache writers' listener, the cluster's writersListenerPort (default: ${DEFAULT_NAMES.writersPort})`,
    )
    .option("--role <role>", "developer (reads the action cache; local results are not uploaded) or ci (writes it, through the writers' listener)", "developer")
    .option("--client-dir <dir>", "client.pem and client.key as `nativelink-aws certs issue --out DIR` wrote them")
    .option("--client-cert <file>", "client certificate (PEM), when the deployment authenticates clients")
    .option("--client-key <file>", "the client certificate's private key (PEM)")
    .option("--cache-only", "remote cache only, without remote execution")
    .option("--json", "print the flags as JSON")
    .addHelpText(
      "after",
      "\nExit codes: 0 printed, 2 usage error (bad flags, unreadable or malformed outputs, missing client certificate flags, " +
        "a certificate of the other kind, an expired certificate, a key that is not the certificate's).\n\nExamples:\n" +
        "  terraform output -json > outputs.json && nativelink-aws bazelrc --outputs outputs.json --client-dir ~/certs/alice >> .bazelrc\n" +
        "  nativelink-aws bazelrc --outputs outputs.json --role ci --client-dir ~/certs/github-actions >> .bazelrc\n" +
        "  nativelink-aws bazelrc --domain build.example.com",
    )
    .action(async (raw: unknown) => {
      const flags = parseFlags(bazelrcFlags, raw);
      let endpoints: Endpoints;
      let required = false;
      let source: string;
      if (flags.outputs !== undefined) {
        const outputs = await readTerraformOutputs(flags.outputs, io.cwd, flags.outputPrefix);
        endpoints = {
          casEndpoint: requireOutput(outputs, "cas_endpoint", flags.outputs),
          // Only CI's flags need the writers' endpoint: a developer's work with the outputs of any stack.
          casWritersEndpoint: flags.role === "ci" ? requireOutput(outputs, "cas_writers_endpoint", flags.outputs) : outputs.cas_writers_endpoint,
          schedulerEndpoint: requireOutput(outputs, "scheduler_endpoint", flags.outputs),
          instanceName: requireOutput(outputs, "remote_instance_name", flags.outputs),
        };
        required = outputs.client_certificate_required ?? false;
        source = `from the Terraform outputs in ${flags.outputs}`;
      } else {
        endpoints = endpointsFromDomain(flags.domain ?? "", flags);
        source = `computed from the domain ${flags.domain}`;
      }
      const auth = decideClientAuth({ required, certificate: flags.clientCert, key: flags.clientKey, dir: flags.clientDir });
      const fromDir = flags.clientDir !== undefined;
      const clientAuth = auth && {
        certificate: await readableFile(auth.certificate, fromDir ? "--client-dir" : "--client-cert", io.cwd),
        key: await readableFile(auth.key, fromDir ? "--client-dir" : "--client-key", io.cwd),
      };
      const certificate = clientAuth && (await readClientCertificate(clientAuth.certificate, clientAuth.key));
      if (certificate) checkClientCertificate(flags.role, certificate, new Date());
      const role: Role = flags.role;
      const input = { ...endpoints, source, role, clientAuth, cacheOnly: flags.cacheOnly };
      if (flags.json) writeJson(io.stdout, { ...endpoints, role, clientCertificate: clientAuth !== undefined, flags: bazelFlags(input) });
      else writeLines(io.stdout, bazelrcLines(input));
    });
}
