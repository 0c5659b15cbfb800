/**
 * A dated price table: AWS public list prices (USD, Linux, on-demand) for the instance types and regions
 * this project defaults to, compiled by hand from the AWS price list. Not fetched live: check the AWS
 * Pricing Calculator before you budget. `spotShareOfOnDemand` is an assumption (spot prices move hourly).
 */
export const PRICE_TABLE = {
  asOf: "2025-10-01",
  currency: "USD",
  source: "AWS public price list (on-demand, Linux); spot as an assumed share of on-demand",
  regions: ["us-east-1", "us-west-2"],
  hoursPerMonth: 730,
  spotShareOfOnDemand: 0.35,
  instanceHourly: {
    // CAS (arm64, memory) and scheduler
    "r6g.xlarge": 0.2016,
    "r7g.xlarge": 0.2142,
    "r6gd.xlarge": 0.2304,
    "r8g.xlarge": 0.2357,
    "c6g.xlarge": 0.136,
    // x86_64 workers: 2 vCPU with NVMe
    "m6id.large": 0.1187,
    "m5d.large": 0.113,
    "m5ad.large": 0.103,
    "m5dn.large": 0.136,
    "c6id.large": 0.1008,
    "c5d.large": 0.096,
    "c5ad.large": 0.086,
    "r5ad.large": 0.131,
    "r5dn.large": 0.167,
    "i4i.large": 0.172,
    "i3.large": 0.156,
    "i3en.large": 0.226,
    // arm64 workers: 1 vCPU with NVMe
    "c6gd.medium": 0.0384,
    "m6gd.medium": 0.0452,
    "r6gd.medium": 0.0576,
    "c7gd.medium": 0.0454,
    "m7gd.medium": 0.0534,
    "r7gd.medium": 0.068,
    "is4gen.medium": 0.1441,
    // the original's arm64 worker list also had c7g.medium (no NVMe)
    "c7g.medium": 0.0363,
  } as Readonly<Record<string, number>>,
  loadBalancerHourly: 0.0225,
  /** Per load balancer capacity unit-hour; an idle load balancer uses almost none. */
  lcuHourly: 0.008,
  interfaceEndpointHourlyPerZone: 0.01,
  natGatewayHourly: 0.045,
  publicIpv4Hourly: 0.005,
  gp3GibMonth: 0.08,
  /** A launch into a warm pool runs this long (boot, bootstrap, lifecycle action) before it stops; billed per second. */
  warmPoolRefillMinutes: 3,
  s3StandardGibMonth: 0.023,
  s3PutPerThousand: 0.005,
  s3GetPerThousand: 0.0004,
  lambdaPerMillionRequests: 0.2,
  lambdaGibSecondArm: 0.0000133334,
  cloudWatchCustomMetricMonth: 0.3,
  cloudWatchAlarmMetricMonth: 0.1,
  cloudWatchDashboardMonth: 3,
  cloudWatchLogsIngestGib: 0.5,
} as const;

export type PriceTable = typeof PRICE_TABLE;

/** Thrown for an instance type the table does not price; names the type and the way out. */
export class UnknownInstanceTypeError extends Error {
  constructor(readonly instanceType: string) {
    super(
      `No price for instance type "${instanceType}" in the table dated ${PRICE_TABLE.asOf}. ` +
        `Add it to packages/cli/src/cost/prices.ts, or pass --hourly ${instanceType}=PRICE.`,
    );
    this.name = "UnknownInstanceTypeError";
  }
}

/** On-demand hourly price of `instanceType`, from overrides first, then the table. */
export function instanceHourly(instanceType: string, overrides: Readonly<Record<string, number>> = {}): number {
  const price = overrides[instanceType] ?? PRICE_TABLE.instanceHourly[instanceType];
  if (price === undefined) throw new UnknownInstanceTypeError(instanceType);
  return price;
}
