import type { Construct } from "constructs";
import { NativeLinkPropError } from "./errors.js";
import type { WeightedInstanceType } from "./fleet.js";
import {
  CAS_INSTANCE_TYPES,
  type CasFleetOptions,
  checkCount,
  type SchedulerFleetOptions,
  WORKER_INSTANCE_TYPES,
  weighInstanceTypes,
  type WorkerFleetOptions,
} from "./fleet-options.js";
import { type Architecture, describeInstanceType } from "./instance-types.js";
import { type ResolvedWarmPool, resolveWarmPool } from "./warm-pool.js";

export type { WorkerFleetOptions } from "./fleet-options.js";

/** A fleet's resolved instance types and capacity bounds (in weight units). */
export interface FleetSizing {
  readonly instanceTypes: WeightedInstanceType[];
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly rootVolumeGib: number;
}

/** CAS capacity is in weight units: at least minInstances of the heaviest type, at most maxInstances of the lightest. */
export function resolveCasSizing(scope: Construct, options: CasFleetOptions): FleetSizing {
  const instanceTypes = weighInstanceTypes(scope, "cas.instanceTypes", options.instanceTypes ?? CAS_INSTANCE_TYPES, {
    architecture: "arm64",
    needsInstanceStorage: false,
    weigh: "cas-formula",
  });
  const minInstances = checkCount(scope, "cas.minInstances", options.minInstances ?? 1, 1);
  const maxInstances = checkCount(scope, "cas.maxInstances", options.maxInstances ?? 25, 1);
  const weights = instanceTypes.map((type) => type.weight);
  const [lightest, heaviest] = [Math.min(...weights), Math.max(...weights)];
  const minCapacity = minInstances * heaviest;
  const maxCapacity = maxInstances * lightest;
  if (maxCapacity < minCapacity) {
    throw new NativeLinkPropError(
      scope.node.path,
      "cas.maxInstances",
      `${maxInstances} instances of the lightest type (${lightest} units) cannot hold ${minInstances} of the heaviest (${heaviest} units)`,
      "raise cas.maxInstances or choose instance types of similar size",
    );
  }
  return { instanceTypes, minCapacity, maxCapacity, rootVolumeGib: options.rootVolumeGib ?? 20 };
}

/** One scheduler; its architecture from the type when readable, else from the prop. */
export function resolveSchedulerSizing(
  scope: Construct,
  options: SchedulerFleetOptions,
): { architecture: Architecture; instanceTypes: WeightedInstanceType[]; rootVolumeGib: number } {
  const instanceType = options.instanceType ?? "c6g.xlarge";
  const known = describeInstanceType(instanceType)?.architecture;
  const architecture = options.architecture ?? known ?? "arm64";
  if (known && known !== architecture) {
    throw new NativeLinkPropError(
      scope.node.path,
      "scheduler.architecture",
      `${instanceType} is ${known}, not ${architecture}`,
      `set scheduler.architecture to "${known}" or choose a ${architecture} type`,
    );
  }
  return { architecture, instanceTypes: [{ instanceType, weight: 1 }], rootVolumeGib: options.rootVolumeGib ?? 20 };
}

/** A worker fleet's sizing: capacity units are vCPUs, or whole instances of `vcpusPerCapacityUnit` for one on-demand type. */
export interface WorkerFleetSizing extends FleetSizing {
  readonly purchaseOption: "spot" | "on-demand";
  /** vCPUs one unit of the group's capacity is: 1 with weights (a mixed instances policy), else the type's vCPUs. */
  readonly vcpusPerCapacityUnit: number;
  readonly warmPool?: ResolvedWarmPool;
}

/** Worker capacity is in vCPUs (weight = vCPUs of the type); one on-demand type counts instances instead. */
export function resolveWorkerSizing(scope: Construct, architecture: Architecture, options: WorkerFleetOptions, deploymentName: string): WorkerFleetSizing {
  const prop = `workers.${architecture}`;
  const instanceTypes = weighInstanceTypes(scope, `${prop}.instanceTypes`, options.instanceTypes ?? WORKER_INSTANCE_TYPES[architecture], {
    architecture,
    needsInstanceStorage: true,
    weigh: "vcpus",
  });
  const minVcpus = checkCount(scope, `${prop}.minVcpus`, options.minVcpus ?? 1, 0);
  const maxVcpus = checkCount(scope, `${prop}.maxVcpus`, options.maxVcpus ?? 200, 1);
  if (maxVcpus < minVcpus) {
    throw new NativeLinkPropError(scope.node.path, `${prop}.maxVcpus`, `${maxVcpus} is below minVcpus ${minVcpus}`, "make maxVcpus at least minVcpus");
  }
  const purchaseOption = options.purchaseOption ?? "spot";
  // A group without a mixed instances policy has no weights: it counts instances (see NativeLinkFleet).
  const vcpusPerCapacityUnit = purchaseOption === "on-demand" && instanceTypes.length === 1 ? instanceTypes[0]!.weight : 1;
  const minCapacity = Math.ceil(minVcpus / vcpusPerCapacityUnit);
  const maxCapacity = Math.floor(maxVcpus / vcpusPerCapacityUnit);
  if (maxCapacity < Math.max(minCapacity, 1)) {
    throw new NativeLinkPropError(
      scope.node.path,
      `${prop}.maxVcpus`,
      `${maxVcpus} holds no more than ${maxCapacity} whole instances of ${instanceTypes[0]!.instanceType} ` +
        `(${vcpusPerCapacityUnit} vCPUs each), fewer than minVcpus asks`,
      `make maxVcpus a multiple of ${vcpusPerCapacityUnit} of at least ${Math.max(minCapacity, 1) * vcpusPerCapacityUnit}`,
    );
  }
  const sizing = { instanceTypes, minCapacity, maxCapacity, rootVolumeGib: options.rootVolumeGib ?? 20, purchaseOption, vcpusPerCapacityUnit };
  if (!options.warmPool) return sizing;
  return { ...sizing, warmPool: resolveWarmPool(scope, `${prop}.warmPool`, options.warmPool, { deploymentName, ...sizing }) };
}
