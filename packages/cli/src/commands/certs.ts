// `nativelink-aws certs …`: two client CAs per deployment (developers, CI), issue, revoke, list, publish.
import { homedir } from "node:os";
import { resolve } from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { CERTIFICATE_KINDS, DEFAULT_CLIENT_CA_DIR, type CertificateKind } from "@nativelink-aws/nativelink-config";
import { defaultPkiDir } from "../certs/layout.js";
import { DEFAULT_CLIENT_DAYS, HOLDER_NAME, HOLDER_NAME_PROBLEM, MAX_CLIENT_DAYS } from "../certs/policy.js";
import { REVOCATION_REASONS, type RevocationReason } from "../certs/pki-index.js";
import { deploymentFlag, integerFlag, parseFlags, quoted } from "../flags.js";
import type { CliIo } from "../io.js";

/** `key-compromise` on the command line, `keyCompromise` in RFC 5280 and the index. */
const reasonsByFlag = Object.fromEntries(
  REVOCATION_REASONS.map((reason) => [reason.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`), reason]),
) as Record<string, RevocationReason>;

const pkiShape = {
  deployment: deploymentFlag.default("nativelink"),
  pkiDir: z.string().min(1, "is empty; give a directory outside any repository, e.g. ~/.nativelink-aws/nativelink/pki").optional(),
};

const holderName = z.string().regex(HOLDER_NAME, { error: (issue) => `${quoted(issue.input)} ${HOLDER_NAME_PROBLEM}` });

const issueFlags = z.object({
  ...pkiShape,
  name: holderName,
  kind: z.enum(Object.keys(CERTIFICATE_KINDS) as [CertificateKind, ...CertificateKind[]], {
    error: (issue) => `${quoted(issue.input)} must be developer or ci`,
  }),
  // The longest validity depends on the CA (certs/policy.ts words it); the flag only has to be a whole number.
  days: integerFlag(1, Number.MAX_SAFE_INTEGER, "90").default(DEFAULT_CLIENT_DAYS),
  out: z.string().min(1, "is empty; give a directory, e.g. ./alice"),
});

const revokeFlags = z
  .object({
    ...pkiShape,
    name: holderName.optional(),
    serial: z
      .string()
      .regex(/^[0-9A-Fa-f:]+$/, { error: (issue) => `${quoted(issue.input)} is not a hex serial (certs list shows them)` })
      .optional(),
    cert: z.string().min(1, "is empty; give the certificate's PEM file, e.g. alice/client.pem").optional(),
    reason: z
      .enum(Object.keys(reasonsByFlag) as [string, ...string[]], {
        error: (issue) => `${quoted(issue.input)} must be one of ${Object.keys(reasonsByFlag).join(", ")}`,
      })
      .default("unspecified"),
  })
  .refine((flags) => [flags.name, flags.serial, flags.cert].filter((value) => value !== undefined).length === 1, {
    message: "give exactly one of --name NAME, --serial SERIAL or --cert FILE",
  });

const listFlags = z.object({ ...pkiShape, json: z.boolean().default(false) });
const publishFlags = z.object({
  ...pkiShape,
  out: z.string().min(1, `is empty; give a directory, e.g. ${DEFAULT_CLIENT_CA_DIR}`).default(DEFAULT_CLIENT_CA_DIR),
});

function pkiDirOf(flags: { deployment: string; pkiDir?: string | undefined }, io: CliIo): string {
  return flags.pkiDir !== undefined ? resolve(io.cwd, flags.pkiDir) : defaultPkiDir(homedir(), flags.deployment);
}

function addPkiFlags(command: Command): Command {
  return command
    .option("--deployment <name>", "deployment name; the CAs' names derive from it", "nativelink")
    .option("--pki-dir <dir>", "the PKI directory, outside any repository (default: ~/.nativelink-aws/<deployment>/pki)");
}

// The x509 code (and its Reflect polyfill) loads only when a certs command runs.
const actions = () => import("../certs/actions.js");

export function registerCerts(program: Command, io: CliIo): void {
  const certs = program
    .command("certs")
    .description("Client certificates for the load balancer's mutual TLS: a developers' CA (read the cache) and a CI CA (also write it).");

  addPkiFlags(
    certs.command("init").description("Create the deployment's two CAs (developers, ci), an empty CRL for each and the index of issued certificates."),
  )
    .addHelpText(
      "after",
      "\nExit codes: 0 created, 2 usage error, 4 a PKI exists there, or the directory is inside a git repository.\n\n" +
        "Example:\n  nativelink-aws certs init --deployment nativelink",
    )
    .action(async (raw: unknown) => {
      const flags = parseFlags(z.object(pkiShape), raw);
      await (await actions()).initPki({ deployment: flags.deployment, pkiDir: pkiDirOf(flags, io) }, io, new Date());
    });

  addPkiFlags(certs.command("issue").description("Issue a client certificate and its private key to a person (--kind developer) or a CI system (--kind ci)."))
    .requiredOption("--name <name>", "who holds it, e.g. alice@example.com or github-actions (the certificate's CN and SAN)")
    .requiredOption("--kind <kind>", "developer (reads the action cache) or ci (also writes it)")
    .option("--days <n>", `days until it expires, at most ${MAX_CLIENT_DAYS}`, String(DEFAULT_CLIENT_DAYS))
    .requiredOption("--out <dir>", "directory for client.pem, client.key (0600) and chain.pem; existing files are never overwritten")
    .addHelpText(
      "after",
      "\nExit codes: 0 issued, 2 usage error (no PKI, missing CA key, --days too long), 4 a file exists in --out.\n\n" +
        "Example:\n  nativelink-aws certs issue --name alice@example.com --kind developer --days 90 --out ./alice",
    )
    .action(async (raw: unknown) => {
      const flags = parseFlags(issueFlags, raw);
      const { issueCertificate } = await actions();
      await issueCertificate({ ...flags, pkiDir: pkiDirOf(flags, io), out: resolve(io.cwd, flags.out) }, io, new Date());
    });

  addPkiFlags(certs.command("revoke").description("Revoke certificates: add them to their CA's CRL. Push it with certs publish, synth and terraform apply."))
    .option("--name <name>", "revoke every valid certificate issued to this name")
    .option("--serial <hex>", "revoke the certificate with this serial (certs list shows them)")
    .option("--cert <file>", "revoke the certificate in this PEM file")
    .option("--reason <reason>", `one of ${Object.keys(reasonsByFlag).join(", ")}`, "unspecified")
    .addHelpText(
      "after",
      "\nExit codes: 0 revoked, 2 usage error (unknown, foreign, expired or already revoked certificate; missing CA key).\n\n" +
        "Example:\n  nativelink-aws certs revoke --name alice@example.com --reason key-compromise",
    )
    .action(async (raw: unknown) => {
      const flags = parseFlags(revokeFlags, raw);
      const { revokeCertificates } = await actions();
      await revokeCertificates(
        {
          deployment: flags.deployment,
          pkiDir: pkiDirOf(flags, io),
          name: flags.name,
          serial: flags.serial,
          cert: flags.cert === undefined ? undefined : resolve(io.cwd, flags.cert),
          reason: reasonsByFlag[flags.reason] ?? "unspecified",
        },
        io,
        new Date(),
      );
    });

  addPkiFlags(certs.command("list").description("List the certificates issued: name, kind, serial, expiry, status (valid, expired, revoked)."))
    .option("--json", "print the list as JSON")
    .addHelpText("after", "\nExit codes: 0 listed, 2 usage error (no PKI).\n\nExample:\n  nativelink-aws certs list")
    .action(async (raw: unknown) => {
      const flags = parseFlags(listFlags, raw);
      await (await actions()).listCertificates({ deployment: flags.deployment, pkiDir: pkiDirOf(flags, io), json: flags.json }, io, new Date());
    });

  addPkiFlags(
    certs.command("publish").description("Write the public CA certificates, CRLs and manifest.json that the stack reads at synth. Never a private key."),
  )
    .option("--out <dir>", "directory to write into", DEFAULT_CLIENT_CA_DIR)
    .addHelpText("after", "\nExit codes: 0 written or up to date, 2 usage error (no PKI).\n\nExample:\n  nativelink-aws certs publish --out client-ca")
    .action(async (raw: unknown) => {
      const flags = parseFlags(publishFlags, raw);
      await (await actions()).publishCaBundle({ deployment: flags.deployment, pkiDir: pkiDirOf(flags, io), out: resolve(io.cwd, flags.out) }, io, new Date());
    });
}
