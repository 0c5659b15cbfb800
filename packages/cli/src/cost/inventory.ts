/** What a deployment runs, as far as cost goes: read from a synthesized stack or given as defaults. */
export interface FleetInventory {
  readonly name: string;
  readonly purchase: "spot" | "on-demand";
  /** Instance types with the capacity units one instance counts for. */
  readonly instanceTypes: { readonly instanceType: string; readonly weight: number }[];
  /** Minimum capacity in units: what runs at idle. */
  readonly minCapacity: number;
  readonly rootVolumeGib: number;
  readonly publicIp: boolean;
  /** Worker fleets scale with load; the others are fixed at idle. */
  readonly worker: boolean;
  /** Stopped instances the fleet's warm pool keeps at idle (they cost their root volumes); absent without a warm pool. */
  readonly warmPoolInstances?: number;
}

export interface Inventory {
  readonly label: string;
  readonly fleets: FleetInventory[];
  readonly loadBalancers: number;
  /** Interface endpoint ENIs: endpoints × subnets. */
  readonly interfaceEndpointZones: number;
  readonly natGateways: number;
  /** Public IPv4 addresses outside instances (load balancers' nodes, NAT). */
  readonly publicIpv4: number;
  readonly lambdaFunctions: { readonly name: string; readonly invocationsPerMonth: number; readonly memoryMb: number; readonly seconds: number }[];
  readonly customMetrics: number;
  readonly alarmMetrics: number;
  readonly dashboards: number;
}

/** Usage assumptions for the busy estimate. */
export interface Usage {
  /** Worker vCPU-hours per month beyond the idle minimum (a worker slot is one vCPU: the fleets' weights). */
  readonly workerVcpuHours: number;
  readonly storedGib: number;
  readonly putsPerMonth: number;
  readonly getsPerMonth: number;
  readonly logGibPerMonth: number;
  /**
   * Instances started from warm pools a month: each is replaced by a launch into the pool that runs its bootstrap, then
   * stops (`WARM_POOL_REFILL_MINUTES` of on-demand time).
   * @default 0
   */
  readonly warmPoolRefillsPerMonth?: number;
}

export const IDLE_USAGE: Usage = { workerVcpuHours: 0, storedGib: 0, putsPerMonth: 0, getsPerMonth: 0, logGibPerMonth: 0.1 };
