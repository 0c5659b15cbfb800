// `nativelink-aws purge`: empty the deployment's buckets (every version and delete marker) so
// `terraform destroy` can remove them. Checks ownership, counts, and deletes only when confirmed.
import type { S3Client } from "@aws-sdk/client-s3";
import type { Command } from "commander";
import { z } from "zod";
import { InterruptedError, RefusedError } from "../errors.js";
import { addAwsFlags, awsFlagsShape, deploymentFlag, integerFlag, outputsFlag, outputPrefixFlag, OUTPUT_PREFIX_OPTION, parseFlags, quoted } from "../flags.js";
import { interruptibleBySigint } from "../interrupt.js";
import { writeJson, writeLines, type CliIo } from "../io.js";
import type * as BucketModule from "../purge/bucket.js";
import type { PurgeResult } from "../purge/bucket.js";
import { decideDeletion, decideOwnership, formatBytes, type DeletionDecision, type PageSummary } from "../purge/decide.js";
import { bucketProgress } from "../purge/progress.js";
import { confirmByTypingName } from "../purge/prompt.js";
import { readTerraformOutputs, requireOutput } from "../terraform-outputs.js";

const bucketFlag = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
  error: (issue) => `${quoted(issue.input)} is not an S3 bucket name (3-63 of a-z, 0-9, "." and "-"), e.g. the output cas_bucket_name`,
});

const purgeFlags = z
  .object({
    bucket: z.array(bucketFlag).default([]),
    outputs: outputsFlag.optional(),
    outputPrefix: outputPrefixFlag.optional(),
    deployment: deploymentFlag.default("nativelink"),
    dryRun: z.boolean().default(false),
    yes: z.boolean().default(false),
    maxBatches: integerFlag(1, Number.MAX_SAFE_INTEGER, "10").optional(),
    json: z.boolean().default(false),
    ...awsFlagsShape,
  })
  .refine((flags) => flags.bucket.length > 0 || flags.outputs !== undefined, { message: "give --bucket NAME (repeatable) or --outputs FILE" })
  .refine((flags) => !(flags.dryRun && flags.yes), { message: "--dry-run and --yes contradict each other" });
type PurgeFlags = z.output<typeof purgeFlags>;

interface BucketReport extends PageSummary {
  readonly bucket: string;
  deleted?: PurgeResult;
}

/** The S3 layer, loaded when purge runs (the SDK is slow to load for `--help`). */
type BucketApi = typeof BucketModule;

const collect = (value: string, previous: string[] = []) => [...previous, value];
const entries = (summary: PageSummary) => summary.versions + summary.deleteMarkers;
const describe = (summary: PageSummary) =>
  `${summary.versions.toLocaleString("en-US")} object versions ` +
  `and ${summary.deleteMarkers.toLocaleString("en-US")} delete markers (${formatBytes(summary.bytes)})`;

async function chooseBuckets(flags: PurgeFlags, io: CliIo): Promise<string[]> {
  const chosen = [...flags.bucket];
  if (flags.outputs !== undefined) {
    const outputs = await readTerraformOutputs(flags.outputs, io.cwd, flags.outputPrefix);
    chosen.push(requireOutput(outputs, "cas_bucket_name", flags.outputs), requireOutput(outputs, "access_logs_bucket_name", flags.outputs));
  }
  return [...new Set(chosen)];
}

/** Every bucket must belong to the deployment before anything is counted or deleted. */
async function checkOwnership(api: BucketApi, s3: S3Client, buckets: readonly string[], deployment: string): Promise<void> {
  const refusals: string[] = [];
  for (const bucket of buckets) {
    const ownership = decideOwnership(bucket, await api.bucketTags(s3, bucket), deployment);
    if (!ownership.allowed) refusals.push(ownership.reason);
  }
  if (refusals.length > 0) throw new RefusedError(`${refusals.join("\n")}\nnothing deleted`);
}

/** Deletes from each non-empty bucket, asking first when the decision is to prompt. */
async function deleteConfirmed(
  api: BucketApi,
  s3: S3Client,
  io: CliIo,
  reports: BucketReport[],
  context: { decision: DeletionDecision; flags: PurgeFlags; signal: AbortSignal },
): Promise<void> {
  const { decision, flags, signal } = context;
  for (const report of reports.filter((candidate) => entries(candidate) > 0)) {
    if (decision === "prompt" && !(await confirmByTypingName(io, report.bucket, describe(report), signal))) {
      if (signal.aborted) throw new InterruptedError("interrupted at the prompt; nothing deleted from it");
      throw new RefusedError(`${report.bucket}: the typed name did not match; nothing deleted from it`);
    }
    const progress = bucketProgress(io.stderr, !flags.json, report.bucket, entries(report));
    try {
      report.deleted = await api.purgeBucket(s3, report.bucket, { signal, maxBatches: flags.maxBatches, onBatch: (batch) => progress.advance(batch.objects) });
    } finally {
      progress.stop();
    }
    const { deleted } = report;
    if (!flags.json)
      io.stdout.write(
        `${report.bucket}: deleted ${deleted.objects.toLocaleString("en-US")} in ${deleted.batches} ` +
          `batches (${formatBytes(deleted.bytes)})${deleted.complete ? "; empty" : ""}\n`,
      );
    if (deleted.stoppedBy === "signal") throw new InterruptedError(`interrupted: ${report.bucket} is not empty yet; rerun the same command to continue`);
  }
  if (!flags.json && reports.some((report) => report.deleted?.stoppedBy === "max-batches")) io.stdout.write("stopped after --max-batches; rerun to continue\n");
}

async function purge(flags: PurgeFlags, io: CliIo, signal: AbortSignal): Promise<void> {
  const buckets = await chooseBuckets(flags, io);
  const api = await import("../purge/bucket.js");
  const s3 = api.createS3({ region: flags.region, profile: flags.profile });
  const reports: BucketReport[] = [];
  let decision: DeletionDecision | undefined;
  try {
    await checkOwnership(api, s3, buckets, flags.deployment);
    for (const bucket of buckets) reports.push({ bucket, ...(await api.surveyBucket(s3, bucket, signal)) });
    if (!flags.json)
      writeLines(
        io.stdout,
        reports.map((report) => `${report.bucket}: ${describe(report)}`),
      );
    decision = decideDeletion({
      objects: reports.reduce((sum, report) => sum + entries(report), 0),
      dryRun: flags.dryRun,
      yes: flags.yes,
      interactive: io.stdin.isTTY === true,
    });
    if (decision === "refuse")
      throw new RefusedError("nothing deleted: pass --yes to delete (no terminal to ask for confirmation), or --dry-run to only count");
    if (decision === "dry-run" || decision === "nothing-to-delete") {
      if (!flags.json) io.stdout.write(decision === "dry-run" ? "dry run: nothing deleted\n" : "nothing to delete\n");
      return;
    }
    await deleteConfirmed(api, s3, io, reports, { decision, flags, signal });
  } finally {
    s3.destroy();
    // The JSON report tells what was counted and deleted, also when the command stops early.
    if (flags.json && decision !== undefined) writeJson(io.stdout, { deployment: flags.deployment, decision, buckets: reports });
  }
}

export function registerPurge(program: Command, io: CliIo): void {
  const command = program
    .command("purge")
    .description("Empty the deployment's CAS and access-log buckets (all object versions and delete markers) so `terraform destroy` can remove them.")
    .option("--bucket <name>", "a bucket to empty (repeatable)", collect)
    .option("--outputs <file>", "Terraform outputs of the stack: empties cas_bucket_name and access_logs_bucket_name")
    .option(...OUTPUT_PREFIX_OPTION)
    .option("--deployment <name>", "deployment the buckets must be tagged with (nativelink:deployment)", "nativelink")
    .option("--dry-run", "only count what would be deleted")
    .option("--yes", "delete without asking")
    .option("--max-batches <n>", "stop each bucket after n batches of 1,000 (a rerun continues)")
    .option("--json", "print the counts as JSON (and no progress bar)");
  addAwsFlags(command)
    .addHelpText(
      "after",
      [
        "",
        "Without --yes it counts, then asks you to type each bucket name; with no terminal to ask, it refuses (exit 4).",
        "Safe to interrupt (Ctrl-C stops after the batch in flight) and to rerun: it continues where it stopped.",
        "",
        "Exit codes: 0 emptied, counted (--dry-run) or nothing to delete, 2 usage error, 3 AWS error, 4 refused (not confirmed,",
        "or a bucket not tagged nativelink:deployment=<deployment>), 130 interrupted.",
        "",
        "Example:",
        "  terraform output -json > outputs.json && nativelink-aws purge --outputs outputs.json --yes",
      ].join("\n"),
    )
    .action(async (raw: unknown) => {
      const flags = parseFlags(purgeFlags, raw);
      const interrupt = interruptibleBySigint(io.stderr, io.signal);
      try {
        await purge(flags, io, interrupt.signal);
      } finally {
        interrupt.dispose();
      }
    });
}
