// Builds the `nativelink-aws` command line and runs it, turning every failure into a documented exit code.
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { z } from "zod";
import { classifyAwsError } from "./aws-errors.js";
import { registerBazelrc } from "./commands/bazelrc.js";
import { registerCerts } from "./commands/certs.js";
import { registerCost } from "./commands/cost.js";
import { registerImages } from "./commands/images.js";
import { registerInit } from "./commands/init.js";
import { registerLocalProxy } from "./commands/local-proxy.js";
import { registerPreflight } from "./commands/preflight.js";
import { registerPurge } from "./commands/purge.js";
import { registerStatus } from "./commands/status.js";
import { CliError, ExitCode } from "./errors.js";
import type { CliIo } from "./io.js";

const exitCodesHelp = `
Exit codes:
  0    ok
  1    a check failed (preflight, status) or an unexpected error
  2    usage error: bad flag, argument or input file; an unsupported Node.js
  3    AWS error: credentials, region, permissions, network
  4    refused for safety: existing file without --force, deletion not confirmed, bucket not of this deployment
  130  interrupted (Ctrl-C)

Region and profile: --region/--profile, else AWS_REGION/AWS_PROFILE, else ~/.aws/config (the AWS SDK's default chain).
preflight needs no region (STS and Route 53 are global).`;

export function cliVersion(): string {
  const manifest = z.object({ version: z.string() }).parse(JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")));
  return manifest.version;
}

export function createProgram(io: CliIo): Command {
  const program = new Command("nativelink-aws")
    .description("Helps around a NativeLink deployment on AWS: checks before, Bazel flags, status and cost during, purge before destroy.")
    .version(cliVersion())
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .exitOverride()
    .showHelpAfterError("(add --help for usage)")
    .addHelpText("after", exitCodesHelp);
  // Subcommands made with .command() copy the settings above (output, exitOverride), so register after them.
  registerPreflight(program, io);
  registerBazelrc(program, io);
  registerLocalProxy(program, io);
  registerPurge(program, io);
  registerStatus(program, io);
  registerInit(program, io);
  registerCost(program, io);
  registerCerts(program, io);
  registerImages(program, io);
  return program;
}

/** Runs the CLI with `argv` (without node and script), returning the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await createProgram(io).parseAsync([...argv], { from: "user" });
    return ExitCode.ok;
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIo): number {
  // Commander has already printed its message (or the help); only the code is left to decide.
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  const known = error instanceof CliError ? error : classifyAwsError(error);
  if (known) {
    io.stderr.write(`nativelink-aws: ${known.message}\n`);
    return known.exitCode;
  }
  io.stderr.write(`nativelink-aws: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return ExitCode.notOk;
}
