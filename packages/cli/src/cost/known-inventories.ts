import { DEFAULT_CAS_INSTANCE_TYPES, DEFAULT_WORKER_INSTANCE_TYPES } from "@nativelink-aws/conventions";
import type { Inventory } from "./inventory.js";

const X86_WORKERS = DEFAULT_WORKER_INSTANCE_TYPES.x86_64;
const ARM_WORKERS = DEFAULT_WORKER_INSTANCE_TYPES.arm64;
const weighted = (types: readonly string[], weight: number) => types.map((instanceType) => ({ instanceType, weight }));

/**
 * The reference deployment with its defaults, for `cost` without a synthesized stack. The reference
 * app's tests check that reading its synthesized stack gives this same inventory.
 */
export const REFERENCE_DEFAULTS: Inventory = {
  label: "nativelink-aws reference deployment (defaults)",
  fleets: [
    {
      name: "cas",
      purchase: "spot",
      instanceTypes: weighted(DEFAULT_CAS_INSTANCE_TYPES, 195),
      minCapacity: 195,
      rootVolumeGib: 20,
      publicIp: false,
      worker: false,
    },
    { name: "scheduler", purchase: "on-demand", instanceTypes: weighted(["c6g.xlarge"], 1), minCapacity: 1, rootVolumeGib: 20, publicIp: false, worker: false },
    { name: "workers-arm64", purchase: "spot", instanceTypes: weighted(ARM_WORKERS, 1), minCapacity: 1, rootVolumeGib: 20, publicIp: false, worker: true },
    { name: "workers-x86_64", purchase: "spot", instanceTypes: weighted(X86_WORKERS, 2), minCapacity: 1, rootVolumeGib: 20, publicIp: false, worker: true },
  ],
  loadBalancers: 1,
  interfaceEndpointZones: 6,
  natGateways: 0,
  publicIpv4: 2,
  lambdaFunctions: [
    { name: "nativelink-autoscaler", invocationsPerMonth: 43_800, memoryMb: 128, seconds: 46 },
    { name: "nativelink-scheduler-dns", invocationsPerMonth: 8_760, memoryMb: 256, seconds: 0.3 },
  ],
  // S3 request metrics (16) for the CAS bucket and the autoscaler's (6 per worker fleet and FeedErrors);
  // alarms with their metric counts; one dashboard.
  customMetrics: 16 + 13,
  alarmMetrics: 13,
  dashboards: 1,
};

/**
 * The original experimental_AWS Terraform at idle (see the project's reference notes): two ALBs over the
 * default VPC's subnets (four zones in us-west-2), a public IP on every instance, an EC2 interface
 * endpoint in every subnet, the CAS, one scheduler and one worker per group, 8 GiB AMI root volumes.
 */
export const ORIGINAL_TOPOLOGY: Inventory = {
  label: "original experimental_AWS Terraform (idle)",
  fleets: [
    { name: "cas", purchase: "spot", instanceTypes: weighted(["r6g.xlarge"], 195), minCapacity: 1, rootVolumeGib: 8, publicIp: true, worker: false },
    { name: "scheduler", purchase: "on-demand", instanceTypes: weighted(["c6g.xlarge"], 1), minCapacity: 1, rootVolumeGib: 8, publicIp: true, worker: false },
    { name: "workers-x86_64", purchase: "spot", instanceTypes: weighted(X86_WORKERS, 2), minCapacity: 1, rootVolumeGib: 8, publicIp: true, worker: true },
    {
      name: "workers-arm64",
      purchase: "spot",
      instanceTypes: weighted(["c6gd.medium", "m6gd.medium", "r6gd.medium", "c7g.medium", "is4gen.medium"], 1),
      minCapacity: 1,
      rootVolumeGib: 8,
      publicIp: true,
      worker: true,
    },
  ],
  loadBalancers: 2,
  interfaceEndpointZones: 4,
  natGateways: 0,
  publicIpv4: 2 * 4,
  lambdaFunctions: [],
  customMetrics: 0,
  alarmMetrics: 0,
  dashboards: 0,
};
