// `nativelink-aws status`: does the scheduler's DNS record point at its instance, how full is each fleet,
// and what did the autoscaler publish last.
import type { Command } from "commander";
import { z } from "zod";
import { CheckFailedError } from "../errors.js";
import {
  addAwsFlags,
  awsFlagsShape,
  deploymentFlag,
  domainFlag,
  labelFlag,
  outputsFlag,
  outputPrefixFlag,
  OUTPUT_PREFIX_OPTION,
  parseFlags,
} from "../flags.js";
import { writeJson, writeLines, type CliIo } from "../io.js";
import { FLEETS, WORKER_FLEETS, compareSchedulerDns, groupName, renderStatus, statusExitCode, type StatusReport } from "../status/report.js";
import { readTerraformOutputs, requireOutput } from "../terraform-outputs.js";

const statusFlags = z
  .object({
    domain: domainFlag.optional(),
    outputs: outputsFlag.optional(),
    outputPrefix: outputPrefixFlag.optional(),
    schedulerPrefix: labelFlag.optional(),
    deployment: deploymentFlag.default("nativelink"),
    json: z.boolean().default(false),
    ...awsFlagsShape,
  })
  .refine((flags) => (flags.domain === undefined) !== (flags.outputs === undefined), { message: "give exactly one of --domain DOMAIN or --outputs FILE" })
  .refine((flags) => flags.outputs === undefined || flags.schedulerPrefix === undefined, {
    path: ["schedulerPrefix"],
    message: "applies only with --domain; with --outputs FILE the record is the output scheduler_internal_domain_name",
  });

/** The scheduler's private record name, from the domain or from the outputs. */
async function schedulerRecordName(flags: z.output<typeof statusFlags>, io: CliIo): Promise<string> {
  if (flags.domain !== undefined) return `${flags.schedulerPrefix ?? "scheduler"}.internal.${flags.domain}`;
  const outputs = await readTerraformOutputs(flags.outputs ?? "", io.cwd, flags.outputPrefix);
  return requireOutput(outputs, "scheduler_internal_domain_name", flags.outputs ?? "")
    .toLowerCase()
    .replace(/\.$/, "");
}

export function registerStatus(program: Command, io: CliIo): void {
  const command = program
    .command("status")
    .description(
      "Show whether scheduler.internal.DOMAIN points at the scheduler's instance, " +
        "each fleet's desired / in-service counts, and the autoscaler's latest metrics.",
    )
    .option("--domain <domain>", "the deployment's base domain")
    .option("--outputs <file>", "Terraform outputs of the stack (instead of --domain)")
    .option(...OUTPUT_PREFIX_OPTION)
    .option("--scheduler-prefix <label>", "with --domain: label of the scheduler's names (default: scheduler)")
    .option("--deployment <name>", "deployment name: groups are <name>-cas, <name>-scheduler, <name>-workers-<arch>", "nativelink")
    .option("--json", "print the status as JSON");
  addAwsFlags(command)
    .addHelpText(
      "after",
      "\nExit codes: 0 the DNS record agrees with the scheduler, 1 it does not (or no scheduler / record / zone), 2 usage error, 3 AWS error.\n\n" +
        "Example:\n  nativelink-aws status --domain build.example.com --json",
    )
    .action(async (raw: unknown) => {
      const flags = parseFlags(statusFlags, raw);
      const recordName = await schedulerRecordName(flags, io);
      const zoneName = recordName.slice(recordName.indexOf(".") + 1);
      const target = { region: flags.region, profile: flags.profile };
      const { createStatusClients, describeGroups, latestMetrics, privateARecord, schedulerInstances } = await import("../status/observe.js");
      const clients = createStatusClients(target);
      const { autoScaling, ec2, route53, cloudWatch } = clients;
      try {
        const groups = await describeGroups(
          autoScaling,
          FLEETS.map((fleet) => groupName(flags.deployment, fleet)),
        );
        const schedulerGroup = groups.get(groupName(flags.deployment, "scheduler"));
        const [instances, record, metrics] = await Promise.all([
          schedulerGroup ? schedulerInstances(ec2, schedulerGroup) : Promise.resolve(undefined),
          privateARecord(route53, zoneName, recordName),
          // Metrics are a bonus: without them (no permission, no autoscaler) the DNS and fleet answers still stand.
          latestMetrics(cloudWatch, flags.deployment, WORKER_FLEETS, new Date()).then(
            (values) => ({ ok: true as const, values }),
            (error: unknown) => ({ ok: false as const, error: ((error as Error).message.split("\n")[0] ?? "").trim() }),
          ),
        ]);
        const comparison = compareSchedulerDns({ recordName, zoneName, zoneFound: record.zoneId !== undefined, recordIps: record.ips, instances });
        const report: StatusReport = {
          deployment: flags.deployment,
          schedulerDns: { ...comparison, record: recordName, recordIps: record.ips, instances: instances ?? [] },
          fleets: FLEETS.map((fleet) => {
            const group = groups.get(groupName(flags.deployment, fleet));
            const inService = group?.Instances?.filter((instance) => instance.LifecycleState === "InService").length;
            return {
              fleet,
              group: groupName(flags.deployment, fleet),
              exists: group !== undefined,
              desired: group?.DesiredCapacity,
              inService,
              min: group?.MinSize,
              max: group?.MaxSize,
            };
          }),
          ...(metrics.ok ? { metrics: metrics.values } : { metrics: null, metricsError: metrics.error }),
        };
        if (flags.json) writeJson(io.stdout, { ...report, ok: statusExitCode(report) === 0 });
        else writeLines(io.stdout, renderStatus(report));
        if (statusExitCode(report) !== 0) throw new CheckFailedError(`the scheduler's DNS record is not right: ${comparison.detail}`);
      } finally {
        clients.destroy();
      }
    });
}
