import type { Architecture } from "@nativelink-aws/conventions";

/** CPU architecture of an instance type or an image, in the names AWS uses for AMIs. */
export type { Architecture };

/** What the fleets need to know about an EC2 instance type. */
export interface InstanceTypeFacts {
  readonly instanceType: string;
  readonly vcpus: number;
  readonly memoryGib: number;
  readonly architecture: Architecture;
  /** Whether the type has local NVMe instance-store disks (workers need them). */
  readonly instanceStorage: boolean;
}

/** Memory per vCPU (GiB) by series; instance sizes scale linearly within a family. */
const MEMORY_PER_VCPU: Record<string, number> = { c: 2, m: 4, r: 8, x: 16, i: 8, is: 6, im: 4, z: 8 };
/** Families whose memory ratio differs from their series letter. */
const FAMILY_MEMORY_PER_VCPU: Record<string, number> = { i3: 7.625 };
const STORAGE_SERIES = new Set(["i", "is", "im", "d", "h"]);

function vcpusForSize(size: string): number | undefined {
  if (size === "medium") return 1;
  if (size === "large") return 2;
  if (size === "xlarge") return 4;
  const multiple = /^(\d+)xlarge$/.exec(size);
  return multiple ? Number(multiple[1]) * 4 : undefined;
}

/**
 * Derives vCPUs, memory, architecture and instance storage from an instance type's name
 * (`<series><generation><attributes>.<size>`), for the general-purpose, compute, memory and storage
 * families. Returns undefined for names it cannot read (burstable, metal, accelerated, …).
 */
export function describeInstanceType(instanceType: string): InstanceTypeFacts | undefined {
  const match = /^([a-z]+)(\d+)([a-z-]*)\.([a-z0-9]+)$/.exec(instanceType);
  if (!match) return undefined;
  const [, series = "", generation = "", attributes = "", size = ""] = match;
  const family = `${series}${generation}${attributes}`;
  const vcpus = vcpusForSize(size);
  const memoryPerVcpu = FAMILY_MEMORY_PER_VCPU[family] ?? MEMORY_PER_VCPU[series];
  if (vcpus === undefined || memoryPerVcpu === undefined) return undefined;
  return {
    instanceType,
    vcpus,
    memoryGib: vcpus * memoryPerVcpu,
    architecture: attributes.includes("g") || series === "a" ? "arm64" : "x86_64",
    instanceStorage: STORAGE_SERIES.has(series) || attributes.includes("d"),
  };
}

/**
 * The original deployment's weight for CAS instance types, `((memory_GiB - 1) / 2 + vCPU) * 10`:
 * memory dominates because the CAS is a memory cache in front of S3 (r6g.xlarge weighs 195).
 */
export function casCapacityWeight(facts: InstanceTypeFacts): number {
  return Math.round(((facts.memoryGib - 1) / 2 + facts.vcpus) * 10);
}
