// `nativelink-aws local-proxy init`: a CAS on the developer's machine, started by a `tools/bazel` wrapper.
import { isAbsolute, join, resolve } from "node:path";
import type { LocalCasProxyOptions } from "@nativelink-aws/nativelink-config";
import type { Command } from "commander";
import { z } from "zod";
import { UsageError } from "../errors.js";
import { writePlannedFiles } from "../files.js";
import { instanceNameFlag, instanceNameProblem, integerFlag, outputsFlag, outputPrefixFlag, OUTPUT_PREFIX_OPTION, parseFlags, regionFlag } from "../flags.js";
import { writeLines, type CliIo } from "../io.js";
import { bazelWrapperScript } from "../local-proxy/bazel-wrapper.js";
import { readTerraformOutputs, requireOutput } from "../terraform-outputs.js";

export const LOCAL_CAS_CONFIG_FILE = "nativelink-local-cas.json5";

const initFlags = z
  .object({
    bucket: z.string().min(1, "is empty; give the deployment's CAS bucket, e.g. the output cas_bucket_name").optional(),
    outputs: outputsFlag.optional(),
    outputPrefix: outputPrefixFlag.optional(),
    region: regionFlag.optional(),
    port: integerFlag(1, 65535, "50051").default(50051),
    cacheDir: z.string().min(1, "is empty; give a directory, e.g. ~/.cache/nativelink-cas").optional(),
    cacheMaxSize: z.string().min(1, "is empty; give a size, e.g. 10gb").optional(),
    instanceName: instanceNameFlag.optional(),
    dir: z.string().min(1, "is empty; give the Bazel workspace directory, e.g. .").optional(),
    force: z.boolean().default(false),
  })
  .refine((flags) => flags.bucket !== undefined || flags.outputs !== undefined, {
    message: "give --bucket NAME (the deployment's CAS bucket) or --outputs FILE",
  });

/** The preset's option names as the flags that set them. */
const optionFlags: Record<string, string> = {
  bucket: "--bucket",
  region: "--region",
  port: "--port",
  cacheDir: "--cache-dir",
  cacheMaxBytes: "--cache-max-size",
  instanceName: "--instance-name",
};

async function renderConfig(options: LocalCasProxyOptions): Promise<string> {
  const { NativeLinkConfigError, renderLocalCasProxyConfig } = await import("@nativelink-aws/nativelink-config");
  try {
    return renderLocalCasProxyConfig(options);
  } catch (error) {
    // The preset names the option (`localCasProxyConfig.bucket: ...`); the user knows it as a flag.
    if (error instanceof NativeLinkConfigError)
      throw new UsageError(error.message.replace(/localCasProxyConfig\.(\w+)/g, (_, key: string) => optionFlags[key] ?? key));
    throw error;
  }
}

export function registerLocalProxy(program: Command, io: CliIo): void {
  const localProxy = program
    .command("local-proxy")
    .description("A NativeLink CAS on your machine that talks to the deployment's S3 bucket directly (the original's \"More optimal configuration\").");
  localProxy
    .command("init")
    .description(
      "Write tools/bazel (starts the local CAS, then runs Bazel with --remote_cache=grpc://localhost:PORT) and the CAS config tools/" +
        LOCAL_CAS_CONFIG_FILE +
        ".",
    )
    .option("--bucket <name>", "the deployment's CAS bucket (output cas_bucket_name)")
    .option("--outputs <file>", "Terraform outputs of the stack, for the bucket and instance name")
    .option(...OUTPUT_PREFIX_OPTION)
    .option("--region <region>", "the bucket's region (default: AWS_REGION, then the profile's region)")
    .option("--port <port>", "local port of the CAS", "50051")
    .option("--cache-dir <dir>", "local disk cache in front of S3 (default: none)")
    .option("--cache-max-size <size>", "size limit of the disk cache, e.g. 10gb (default 10gb)")
    .option("--instance-name <name>", "remote instance name (default: the outputs' remote_instance_name, else main)")
    .option("--dir <dir>", "the Bazel workspace to write into (default: the current directory)")
    .option("--force", "overwrite existing files")
    .addHelpText(
      "after",
      "\nExit codes: 0 written, 2 usage error, 4 a file exists (add --force).\n\nExample:\n" +
        '  nativelink-aws local-proxy init --bucket "$(terraform output -raw cas_bucket_name)" --cache-dir ~/.cache/nativelink-cas',
    )
    .action(async (raw: unknown) => {
      const flags = parseFlags(initFlags, raw);
      const outputs = flags.outputs !== undefined ? await readTerraformOutputs(flags.outputs, io.cwd, flags.outputPrefix) : undefined;
      const bucket = flags.bucket ?? requireOutput(outputs ?? {}, "cas_bucket_name", flags.outputs ?? "");
      const region = flags.region ?? (await (await import("../aws-region.js")).resolveRegion({}));
      if (!region) throw new UsageError("--region: no region given and none in AWS_REGION or the AWS profile; pass --region REGION (the bucket's region)");
      const workspace = resolve(io.cwd, flags.dir ?? ".");
      const cacheDir = flags.cacheDir === undefined ? undefined : isAbsolute(flags.cacheDir) ? flags.cacheDir : resolve(io.cwd, flags.cacheDir);
      const instanceName = flags.instanceName ?? outputs?.remote_instance_name ?? "main";
      const instanceProblem = instanceNameProblem(instanceName);
      if (instanceProblem) throw new UsageError(`${flags.outputs}: remote_instance_name ${instanceProblem}`);
      const config = await renderConfig({
        bucket,
        region,
        port: flags.port,
        cacheDir,
        instanceName,
        ...(flags.cacheMaxSize ? { cacheMaxBytes: flags.cacheMaxSize } : {}),
      });
      const wrapperPath = join(workspace, "tools", "bazel");
      const configPath = join(workspace, "tools", LOCAL_CAS_CONFIG_FILE);
      await writePlannedFiles(
        [
          { path: wrapperPath, content: bazelWrapperScript({ port: flags.port, instanceName, configFileName: LOCAL_CAS_CONFIG_FILE }), executable: true },
          { path: configPath, content: config },
        ],
        { force: flags.force, cwd: io.cwd },
      );
      writeLines(io.stdout, [
        `wrote ${wrapperPath}`,
        `wrote ${configPath}`,
        "",
        "Next:",
        "  - install NativeLink so `nativelink` is on PATH (or set NATIVELINK_BIN): https://github.com/TraceMachina/nativelink/releases",
        `  - give the CAS AWS credentials that can read and write s3://${bucket} (AWS_PROFILE or the default chain)`,
        `  - run Bazel as usual: \`bazel build //...\` starts the CAS on localhost:${flags.port} if it is not running`,
        `  - commit tools/; the wrapper's --remote_cache and --remote_instance_name=${instanceName} override those from .bazelrc`,
      ]);
    });
}
