import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PRICE_TABLE } from "../src/cost/prices.js";
import { runCli } from "./support/run-cli.js";

/** A minimal synthesized stack: one on-demand scheduler group whose type is a Terraform variable. */
function stackFile(instanceType = "c6g.xlarge"): string {
  const dir = mkdtempSync(join(tmpdir(), "cost-"));
  const file = join(dir, "cdk.tf.json");
  writeFileSync(
    file,
    JSON.stringify({
      variable: { scheduler_instance_type: { default: instanceType } },
      resource: {
        aws_launch_template: {
          lt: {
            instance_type: "${var.scheduler_instance_type}",
            block_device_mappings: [{ ebs: { volume_size: 20 } }],
            network_interfaces: [{ associate_public_ip_address: "false" }],
          },
        },
        aws_autoscaling_group: { g: { name: "demo-scheduler", min_size: 1, launch_template: { id: "${aws_launch_template.lt.id}" } } },
        aws_lb: { alb: { subnets: ["a", "b"] } },
      },
    }),
  );
  return file;
}

describe("nativelink-aws cost", () => {
  it("prints the reference defaults at idle beside the original topology, with the price table's date", async () => {
    const result = await runCli(["cost", "--compare-original"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^monthly cost +original, idle +idle$/m);
    expect(result.stdout).toContain(`Prices as of ${PRICE_TABLE.asOf}`);
    expect(result.stdout).toMatch(/^2 application load balancer\(s\) +\$32\.85 +-$/m);
    expect(result.stdout).toMatch(/^total +\$\d+\.\d\d +\$\d+\.\d\d$/m);
  });

  it("reads a synthesized stack and adds a column under load", async () => {
    const result = await runCli(["cost", "--stack", stackFile(), "--worker-vcpu-hours", "100", "--stored-gib", "10", "--json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      pricesAsOf: string;
      estimates: { heading: string; estimate: { lines: { item: string; monthly: number }[] } }[];
    };
    expect(report.pricesAsOf).toBe(PRICE_TABLE.asOf);
    expect(report.estimates.map((e) => e.heading)).toEqual(["idle", "with usage"]);
    expect(report.estimates[0]!.estimate.lines).toContainEqual({ item: "scheduler: 1 × c6g.xlarge on-demand", monthly: 99.28 });
    expect(report.estimates[1]!.estimate.lines).toContainEqual({ item: "S3: 10 GiB stored", monthly: 0.23 });
  });

  it("names an unknown instance type and how to price it (exit 2), and takes --hourly", async () => {
    const unknown = await runCli(["cost", "--stack", stackFile("x9z.huge")]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No price for instance type "x9z.huge"');
    expect(unknown.stderr).toContain("--hourly x9z.huge=PRICE");
    const priced = await runCli(["cost", "--stack", stackFile("x9z.huge"), "--hourly", "x9z.huge=1"]);
    expect(priced.code).toBe(0);
    expect(priced.stdout).toMatch(/scheduler: 1 × x9z\.huge on-demand +\$730\.00/);
  });

  it("refuses bad input with the flag's name", async () => {
    const result = await runCli(["cost", "--worker-vcpu-hours", "-5"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('nativelink-aws: --worker-vcpu-hours: "-5" is less than 0, e.g. 5000\n');
    const words = await runCli(["cost", "--worker-vcpu-hours", "abc"]);
    expect(words.stderr).toBe('nativelink-aws: --worker-vcpu-hours: "abc" is not a number, e.g. 5000\n');
    const hourly = await runCli(["cost", "--hourly", "m7i.large=cheap"]);
    expect(hourly.stderr).toContain('--hourly: "m7i.large=cheap" is not TYPE=PRICE (an instance type and its on-demand US$ per hour), e.g. m7i.large=0.1008');
    const missing = await runCli(["cost", "--stack", "/nonexistent/cdk.tf.json"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--stack /nonexistent/cdk.tf.json: cannot read a synthesized stack there");
  });
});
