import { DEFAULT_CAS_INSTANCE_TYPES, DEFAULT_WORKER_INSTANCE_TYPES } from "@nativelink-aws/conventions";
import type { Construct } from "constructs";
import { NativeLinkPropError } from "./errors.js";
import type { WeightedInstanceType } from "./fleet.js";
import { type Architecture, casCapacityWeight, describeInstanceType } from "./instance-types.js";
import type { WorkerWarmPoolOptions } from "./warm-pool.js";

/** An instance type by name (its weight derived), or with an explicit weight. */
export type InstanceTypeChoice = string | WeightedInstanceType;

export interface CasFleetOptions {
  /**
   * arm64 memory-optimized types, weighted by the original's formula `((memory_GiB - 1) / 2 + vCPU) * 10`.
   * Several similar types give spot more pools to draw from.
   * @default ["r6g.xlarge", "r7g.xlarge", "r6gd.xlarge", "r8g.xlarge"]
   */
  readonly instanceTypes?: InstanceTypeChoice[];
  /** @default 1 */
  readonly minInstances?: number;
  /** @default 25 */
  readonly maxInstances?: number;
  /** @default 20 */
  readonly rootVolumeGib?: number;
}

export interface SchedulerFleetOptions {
  /**
   * One on-demand instance of this type (the original's `scheduler_instance_type`).
   * @default "c6g.xlarge"
   */
  readonly instanceType?: string;
  /**
   * The type's architecture; needed when `instanceType` is a Terraform variable and cannot be read.
   * @default derived from instanceType, else "arm64"
   */
  readonly architecture?: Architecture;
  /** @default 20 */
  readonly rootVolumeGib?: number;
}

export interface WorkerFleetOptions {
  /**
   * Types with NVMe instance storage; weight = vCPUs. Defaults: x86_64, the original's 2-vCPU `.large`
   * NVMe types; arm64, 1-vCPU `.medium` Graviton types that really have instance storage (the
   * original's c7g.medium had none).
   * @default WORKER_INSTANCE_TYPES[architecture]
   */
  readonly instanceTypes?: InstanceTypeChoice[];
  /**
   * Minimum capacity in vCPUs (0 lets the fleet scale to zero).
   * @default 1
   */
  readonly minVcpus?: number;
  /** @default 200 */
  readonly maxVcpus?: number;
  /** @default 20 */
  readonly rootVolumeGib?: number;
  /**
   * Spot (a mixed instances policy over `instanceTypes`, capacity rebalance) or on-demand. On-demand with one instance
   * type makes a group without a mixed instances policy, which counts instances: the fleet's vCPU bounds become whole
   * instances (`minVcpus` rounded up, `maxVcpus` down) and the group carries the `nativelink:vcpus-per-capacity-unit`
   * tag the autoscaler reads.
   * @default "spot"
   */
  readonly purchaseOption?: "spot" | "on-demand";
  /**
   * A warm pool of stopped, already bootstrapped instances that a scale-out starts instead of booting new ones
   * (needs `purchaseOption: "on-demand"` and exactly one instance type: Auto Scaling refuses warm pools with Spot or a
   * mixed instances policy). Off by default: it trades Spot's discount for a faster start, and its stopped instances
   * cost their root volumes.
   * @default undefined (no warm pool)
   */
  readonly warmPool?: WorkerWarmPoolOptions;
}

/** The defaults live in conventions, which the CLI's `cost` reads too; exported here under the names the cluster has always used. */
export const CAS_INSTANCE_TYPES = DEFAULT_CAS_INSTANCE_TYPES;
export const WORKER_INSTANCE_TYPES = DEFAULT_WORKER_INSTANCE_TYPES;

export interface WeighingRules {
  readonly architecture: Architecture;
  readonly needsInstanceStorage: boolean;
  readonly weigh: "vcpus" | "cas-formula";
}

/** Resolves instance type choices into weighted types, refusing types that do not fit the fleet. */
export function weighInstanceTypes(scope: Construct, prop: string, choices: readonly InstanceTypeChoice[], rules: WeighingRules): WeightedInstanceType[] {
  if (choices.length === 0)
    throw new NativeLinkPropError(scope.node.path, prop, "the list is empty", "give at least one instance type, or leave the prop out for the defaults");
  return choices.map((choice) => {
    const facts = describeInstanceType(typeof choice === "string" ? choice : choice.instanceType);
    if (typeof choice !== "string") {
      if (!Number.isInteger(choice.weight) || choice.weight < 1 || choice.weight > 999) {
        throw new NativeLinkPropError(
          scope.node.path,
          prop,
          `weight ${choice.weight} of ${choice.instanceType} is not a whole number from 1 to 999`,
          "give each weight as the capacity units one instance provides",
        );
      }
      if (facts) checkFits(scope, prop, facts.instanceType, facts.architecture, facts.instanceStorage, rules);
      return choice;
    }
    if (!facts) {
      throw new NativeLinkPropError(
        scope.node.path,
        prop,
        `cannot derive vCPUs and memory of "${choice}"`,
        `pass { instanceType: "${choice}", weight: N } with an explicit weight`,
      );
    }
    checkFits(scope, prop, choice, facts.architecture, facts.instanceStorage, rules);
    return { instanceType: choice, weight: rules.weigh === "vcpus" ? facts.vcpus : casCapacityWeight(facts) };
  });
}

function checkFits(scope: Construct, prop: string, type: string, architecture: Architecture, storage: boolean, rules: WeighingRules): void {
  if (architecture !== rules.architecture) {
    throw new NativeLinkPropError(
      scope.node.path,
      prop,
      `${type} is ${architecture} but this fleet runs ${rules.architecture} images`,
      `choose ${rules.architecture} instance types`,
    );
  }
  if (rules.needsInstanceStorage && !storage) {
    throw new NativeLinkPropError(
      scope.node.path,
      prop,
      `${type} has no NVMe instance storage, which workers use for their cache and work directory`,
      `choose a type with local disks, e.g. the "d" variant of the family`,
    );
  }
}

export function checkCount(scope: Construct, prop: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new NativeLinkPropError(scope.node.path, prop, `${value} is not a whole number ≥ ${min}`, `use a whole number of at least ${min}`);
  }
  return value;
}
