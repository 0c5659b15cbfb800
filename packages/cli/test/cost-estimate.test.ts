import { describe, expect, it } from "vitest";
import { estimate } from "../src/cost/estimate.js";
import { IDLE_USAGE, type Inventory } from "../src/cost/inventory.js";
import { ORIGINAL_TOPOLOGY, REFERENCE_DEFAULTS } from "../src/cost/known-inventories.js";
import { PRICE_TABLE, UnknownInstanceTypeError } from "../src/cost/prices.js";

const tiny: Inventory = {
  label: "tiny",
  fleets: [
    {
      name: "scheduler",
      purchase: "on-demand",
      instanceTypes: [{ instanceType: "c6g.xlarge", weight: 1 }],
      minCapacity: 1,
      rootVolumeGib: 10,
      publicIp: true,
      worker: false,
    },
    {
      name: "workers-arm64",
      purchase: "spot",
      instanceTypes: [
        { instanceType: "m6gd.medium", weight: 1 },
        { instanceType: "c6gd.medium", weight: 1 },
      ],
      minCapacity: 0,
      rootVolumeGib: 20,
      publicIp: false,
      worker: true,
    },
  ],
  loadBalancers: 1,
  interfaceEndpointZones: 2,
  natGateways: 1,
  publicIpv4: 3,
  lambdaFunctions: [{ name: "f", invocationsPerMonth: 1_000_000, memoryMb: 1024, seconds: 1 }],
  customMetrics: 10,
  alarmMetrics: 4,
  dashboards: 1,
};

describe("cost estimate", () => {
  it("prices each line from the dated table (hand-computed)", () => {
    const result = estimate(tiny, { workerVcpuHours: 1000, storedGib: 100, putsPerMonth: 1_000_000, getsPerMonth: 10_000_000, logGibPerMonth: 2 });
    expect(result.pricesAsOf).toBe(PRICE_TABLE.asOf);
    expect(Object.fromEntries(result.lines.map((l) => [l.item, l.monthly]))).toEqual({
      "scheduler: 1 × c6g.xlarge on-demand": 99.28, // 0.136 × 730
      "scheduler: 1 × 10 GiB gp3 root": 0.8,
      "scheduler: 1 public IPv4": 3.65,
      "workers: 1000 vCPU-hours": 13.44, // cheapest per vCPU: c6gd.medium 0.0384 × 0.35
      "1 application load balancer(s)": 16.43,
      "3 public IPv4 (load balancers, NAT)": 10.95,
      "2 interface endpoint ENIs": 14.6,
      "1 NAT gateway(s)": 32.85,
      "S3: 100 GiB stored": 2.3,
      "S3: requests": 9, // 1000 × 0.005 + 10000 × 0.0004
      "Lambda f": 13.53, // 0.2 + 1e6 × 1 s × 1 GiB × 0.0000133334
      "CloudWatch: custom metrics": 3,
      "CloudWatch: alarms": 0.4,
      "CloudWatch: dashboards": 3,
      "CloudWatch: logs ingested": 1,
    });
    expect(result.total).toBe(224.23);
  });

  it("leaves out fleets at zero and zero-cost lines at idle", () => {
    const items = estimate(tiny, IDLE_USAGE).lines.map((l) => l.item);
    expect(items.some((item) => item.startsWith("workers"))).toBe(false);
    expect(items).not.toContain("S3: requests");
  });

  it("names an unknown instance type and how to price it", () => {
    const unknown: Inventory = { ...tiny, fleets: [{ ...tiny.fleets[0]!, instanceTypes: [{ instanceType: "x9z.huge", weight: 1 }] }] };
    expect(() => estimate(unknown, IDLE_USAGE)).toThrow(UnknownInstanceTypeError);
    expect(() => estimate(unknown, IDLE_USAGE)).toThrow(
      `No price for instance type "x9z.huge" in the table dated ${PRICE_TABLE.asOf}. ` +
        `Add it to packages/cli/src/cost/prices.ts, or pass --hourly x9z.huge=PRICE.`,
    );
    expect(estimate(unknown, IDLE_USAGE, { "x9z.huge": 1 }).lines[0]).toEqual({ item: "scheduler: 1 × x9z.huge on-demand", monthly: 730 });
  });

  it("prices every default and original instance type", () => {
    for (const inventory of [REFERENCE_DEFAULTS, ORIGINAL_TOPOLOGY]) expect(() => estimate(inventory, IDLE_USAGE)).not.toThrow();
  });

  it("compares the original topology's idle cost with this project's defaults", () => {
    const original = estimate(ORIGINAL_TOPOLOGY, IDLE_USAGE);
    const ours = estimate(REFERENCE_DEFAULTS, IDLE_USAGE);
    expect(original.lines.find((l) => l.item.startsWith("2 application"))!.monthly).toBe(32.85);
    expect(ours.lines.find((l) => l.item.startsWith("1 application"))!.monthly).toBe(16.43);
    console.log(`idle: original $${original.total}/month, nativelink-aws defaults $${ours.total}/month (prices of ${PRICE_TABLE.asOf})`);
  });
});

describe("README", () => {
  it("shows the totals the estimator computes for the original topology and the defaults", async () => {
    const { readFileSync } = await import("node:fs");
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const totals = /\| \*\*total\*\* \| \*\*\$([\d.]+)\*\* \| \*\*\$([\d.]+)\*\* \|/.exec(readme);
    expect(totals?.slice(1).map(Number)).toEqual([estimate(ORIGINAL_TOPOLOGY, IDLE_USAGE).total, estimate(REFERENCE_DEFAULTS, IDLE_USAGE).total]);
    expect(readme).toContain(`dated **${PRICE_TABLE.asOf}**`);
  });
});
