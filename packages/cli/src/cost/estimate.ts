import type { FleetInventory, Inventory, Usage } from "./inventory.js";
import { instanceHourly, PRICE_TABLE as P } from "./prices.js";

export interface CostLine {
  readonly item: string;
  readonly monthly: number;
}

export interface Estimate {
  readonly label: string;
  readonly pricesAsOf: string;
  readonly lines: CostLine[];
  readonly total: number;
}

/** Cheapest hourly price per capacity unit among a fleet's types (what an allocation strategy converges to). */
function unitHourly(fleet: FleetInventory, overrides: Readonly<Record<string, number>>): { perUnit: number; instanceType: string; weight: number } {
  const share = fleet.purchase === "spot" ? P.spotShareOfOnDemand : 1;
  const priced = fleet.instanceTypes.map(({ instanceType, weight }) => ({
    instanceType,
    weight,
    perUnit: (instanceHourly(instanceType, overrides) * share) / weight,
  }));
  return priced.reduce((best, next) => (next.perUnit < best.perUnit ? next : best));
}

/** A warm pool's stopped instances (their root volumes) and, with usage, the launches that refill it. */
function warmPoolLines(fleet: FleetInventory, usage: Usage, onDemandHourly: number): CostLine[] {
  const stopped = fleet.warmPoolInstances ?? 0;
  const refills = usage.warmPoolRefillsPerMonth ?? 0;
  return [
    { item: `${fleet.name}: warm pool, ${stopped} stopped × ${fleet.rootVolumeGib} GiB gp3 root`, monthly: stopped * fleet.rootVolumeGib * P.gp3GibMonth },
    ...(refills > 0
      ? [
          {
            item: `${fleet.name}: ${refills} warm pool refills (${P.warmPoolRefillMinutes} min each)`,
            monthly: (refills * P.warmPoolRefillMinutes * onDemandHourly) / 60,
          },
        ]
      : []),
  ];
}

/** Monthly cost of a deployment at a usage: pure, so it is table-tested. */
export function estimate(inventory: Inventory, usage: Usage, overrides: Readonly<Record<string, number>> = {}): Estimate {
  const month = P.hoursPerMonth;
  const lines: CostLine[] = [];
  let workerUnitHourly = Infinity;
  for (const fleet of inventory.fleets) {
    const { perUnit, instanceType, weight } = unitHourly(fleet, overrides);
    const instances = Math.ceil(fleet.minCapacity / weight);
    if (fleet.worker) workerUnitHourly = Math.min(workerUnitHourly, perUnit);
    if (fleet.warmPoolInstances) warmPoolLines(fleet, usage, instanceHourly(instanceType, overrides)).forEach((line) => lines.push(line));
    if (instances === 0) continue;
    lines.push({ item: `${fleet.name}: ${instances} × ${instanceType} ${fleet.purchase}`, monthly: instances * weight * perUnit * month });
    lines.push({ item: `${fleet.name}: ${instances} × ${fleet.rootVolumeGib} GiB gp3 root`, monthly: instances * fleet.rootVolumeGib * P.gp3GibMonth });
    if (fleet.publicIp) lines.push({ item: `${fleet.name}: ${instances} public IPv4`, monthly: instances * P.publicIpv4Hourly * month });
  }
  if (usage.workerVcpuHours > 0 && Number.isFinite(workerUnitHourly)) {
    lines.push({ item: `workers: ${usage.workerVcpuHours} vCPU-hours`, monthly: usage.workerVcpuHours * workerUnitHourly });
  }
  const add = (item: string, monthly: number) => {
    if (monthly > 0) lines.push({ item, monthly });
  };
  add(`${inventory.loadBalancers} application load balancer(s)`, inventory.loadBalancers * P.loadBalancerHourly * month);
  add(`${inventory.publicIpv4} public IPv4 (load balancers, NAT)`, inventory.publicIpv4 * P.publicIpv4Hourly * month);
  add(`${inventory.interfaceEndpointZones} interface endpoint ENIs`, inventory.interfaceEndpointZones * P.interfaceEndpointHourlyPerZone * month);
  add(`${inventory.natGateways} NAT gateway(s)`, inventory.natGateways * P.natGatewayHourly * month);
  add(`S3: ${usage.storedGib} GiB stored`, usage.storedGib * P.s3StandardGibMonth);
  add("S3: requests", (usage.putsPerMonth / 1000) * P.s3PutPerThousand + (usage.getsPerMonth / 1000) * P.s3GetPerThousand);
  for (const fn of inventory.lambdaFunctions) {
    add(
      `Lambda ${fn.name}`,
      (fn.invocationsPerMonth / 1e6) * P.lambdaPerMillionRequests + fn.invocationsPerMonth * fn.seconds * (fn.memoryMb / 1024) * P.lambdaGibSecondArm,
    );
  }
  add("CloudWatch: custom metrics", inventory.customMetrics * P.cloudWatchCustomMetricMonth);
  add("CloudWatch: alarms", inventory.alarmMetrics * P.cloudWatchAlarmMetricMonth);
  add("CloudWatch: dashboards", inventory.dashboards * P.cloudWatchDashboardMonth);
  add("CloudWatch: logs ingested", usage.logGibPerMonth * P.cloudWatchLogsIngestGib);
  const rounded = lines.map((line) => ({ ...line, monthly: Math.round(line.monthly * 100) / 100 }));
  return { label: inventory.label, pricesAsOf: P.asOf, lines: rounded, total: Math.round(rounded.reduce((sum, line) => sum + line.monthly, 0) * 100) / 100 };
}
