// `nativelink-aws cost`: monthly cost of a deployment at idle and under load, from a dated price table.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { estimate } from "../cost/estimate.js";
import { IDLE_USAGE, type Inventory, type Usage } from "../cost/inventory.js";
import { ORIGINAL_TOPOLOGY, REFERENCE_DEFAULTS } from "../cost/known-inventories.js";
import { PRICE_TABLE, UnknownInstanceTypeError } from "../cost/prices.js";
import { renderCostTable } from "../cost/report.js";
import { stackInventory } from "../cost/stack-inventory.js";
import { UsageError } from "../errors.js";
import { numberFlag, parseFlags, pathFlag, quoted } from "../flags.js";
import { writeJson, writeLines, type CliIo } from "../io.js";

const hourlyPrice = z.string().regex(/^[a-z0-9-]+\.[a-z0-9]+=\d+(\.\d+)?$/, {
  error: (issue) => `${quoted(issue.input)} is not TYPE=PRICE (an instance type and its on-demand US$ per hour), e.g. m7i.large=0.1008`,
});
const costFlags = z.object({
  stack: pathFlag("cdktf.out/stacks/nativelink/cdk.tf.json").optional(),
  workerVcpuHours: numberFlag({ example: "5000" }).default(0),
  storedGib: numberFlag({ example: "500" }).default(0),
  puts: numberFlag({ integer: true, example: "2000000" }).default(0),
  gets: numberFlag({ integer: true, example: "10000000" }).default(0),
  logGib: numberFlag({ example: "5" }).default(IDLE_USAGE.logGibPerMonth),
  warmPoolRefills: numberFlag({ integer: true, example: "300" }).default(0),
  hourly: z.array(hourlyPrice).default([]),
  compareOriginal: z.boolean().default(false),
  json: z.boolean().default(false),
});

async function inventoryFrom(stack: string | undefined, cwd: string): Promise<Inventory> {
  if (stack === undefined) return REFERENCE_DEFAULTS;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(resolve(cwd, stack), "utf8"));
  } catch (error) {
    throw new UsageError(`--stack ${stack}: cannot read a synthesized stack there (${(error as Error).message}); pass cdktf.out/stacks/<name>/cdk.tf.json`);
  }
  const parsed = (() => {
    try {
      return stackInventory(json, `synthesized stack ${stack}`);
    } catch (error) {
      throw new UsageError(`--stack ${stack}: not a NativeLink stack (${(error as Error).message.split("\n")[0]})`);
    }
  })();
  if (parsed.fleets.length === 0) throw new UsageError(`--stack ${stack}: no Auto Scaling groups in it; pass the stack of a NativeLink deployment`);
  return parsed;
}

export function registerCost(program: Command, io: CliIo): void {
  program
    .command("cost")
    .description(`Estimate a deployment's monthly cost at idle and under load, from a price table dated ${PRICE_TABLE.asOf}.`)
    .option("--stack <file>", "synthesized stack (cdktf.out/stacks/<name>/cdk.tf.json); default: the reference deployment's defaults")
    .option("--worker-vcpu-hours <n>", "worker vCPU-hours a month beyond the idle minimum (a worker slot is one vCPU)", "0")
    .option("--stored-gib <n>", "GiB kept in the CAS bucket", "0")
    .option("--puts <n>", "S3 PUT requests a month", "0")
    .option("--gets <n>", "S3 GET requests a month", "0")
    .option("--log-gib <n>", "GiB of logs ingested a month", String(IDLE_USAGE.logGibPerMonth))
    .option("--warm-pool-refills <n>", "launches into warm pools a month: draws the pool does not take back on scale-in (each runs a few minutes)", "0")
    .option("--hourly <type=price...>", "on-demand hourly price for an instance type the table lacks (repeatable)")
    .option("--compare-original", "add a column for the original experimental_AWS Terraform at idle")
    .option("--json", "print the estimates as JSON")
    .addHelpText(
      "after",
      "\nExit codes: 0 printed, 2 usage error (bad flag, unreadable stack, unknown instance type without --hourly).\n\nExamples:\n" +
        "  nativelink-aws cost --compare-original\n" +
        "  nativelink-aws cost --stack cdktf.out/stacks/nativelink/cdk.tf.json --worker-vcpu-hours 5000 --stored-gib 500",
    )
    .action(async (raw: unknown) => {
      const flags = parseFlags(costFlags, raw);
      const overrides = Object.fromEntries(
        flags.hourly.map((entry) => {
          const [type, price] = entry.split("=");
          return [type!, Number(price)];
        }),
      );
      const inventory = await inventoryFrom(flags.stack, io.cwd);
      const usage: Usage = {
        workerVcpuHours: flags.workerVcpuHours,
        storedGib: flags.storedGib,
        putsPerMonth: flags.puts,
        getsPerMonth: flags.gets,
        logGibPerMonth: flags.logGib,
        warmPoolRefillsPerMonth: flags.warmPoolRefills,
      };
      const busy = flags.workerVcpuHours + flags.storedGib + flags.puts + flags.gets + flags.warmPoolRefills > 0;
      try {
        const columns = [
          ...(flags.compareOriginal ? [{ heading: "original, idle", estimate: estimate(ORIGINAL_TOPOLOGY, IDLE_USAGE, overrides) }] : []),
          { heading: "idle", estimate: estimate(inventory, { ...IDLE_USAGE, logGibPerMonth: flags.logGib }, overrides) },
          ...(busy ? [{ heading: "with usage", estimate: estimate(inventory, usage, overrides) }] : []),
        ];
        if (flags.json) writeJson(io.stdout, { pricesAsOf: PRICE_TABLE.asOf, deployment: inventory.label, usage, estimates: columns });
        else writeLines(io.stdout, [`${inventory.label}`, "", ...renderCostTable(columns)]);
      } catch (error) {
        if (error instanceof UnknownInstanceTypeError) throw new UsageError(error.message);
        throw error;
      }
    });
}
