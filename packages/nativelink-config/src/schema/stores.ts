/**
 * Store specs: `{<kind>: {...}}` with exactly one kind, nestable. Wrapper stores are written as
 * interfaces because they are recursive; the schemas are checked against them by the compiler.
 */
import { z } from "zod";
import { flag, integer, reference, size } from "../values/fields.js";
import { U32_MAX } from "../values/size.js";
import { AwsObjectStoreSpec, EvictionPolicy, FilesystemSpec, GrpcStoreSpec, MemorySpec, NoopSpec, RefStoreSpec } from "./store-leaves.js";
import { oneKindOf, strict } from "./strict.js";

type Size = number | string;
type Flag = boolean | string;

/** Which operations reach a tier of a `fast_slow` store. */
export const StoreDirection = z.enum(["both", "update", "get", "read_only"]);
export type StoreDirection = z.output<typeof StoreDirection>;

export interface FastSlowSpec {
  /** Tried first; filled from `slow` on a miss. */
  fast: StoreSpec;
  fast_direction?: StoreDirection | undefined;
  slow: StoreSpec;
  slow_direction?: StoreDirection | undefined;
  bypass_dedup_threshold_bytes?: Size | undefined;
}
export interface VerifySpec {
  backend: StoreSpec;
  /** Reject uploads whose size differs from the digest (true for CAS, false for AC). */
  verify_size?: Flag | undefined;
  /** Reject uploads whose hash differs from the digest (true for CAS, false for AC). */
  verify_hash?: Flag | undefined;
}
export interface DedupSpec {
  index_store: StoreSpec;
  content_store: StoreSpec;
  min_size?: Size | undefined;
  normal_size?: Size | undefined;
  max_size?: Size | undefined;
  max_concurrent_fetch_per_get?: number | string | undefined;
}
export interface Lz4Config {
  block_size?: Size | undefined;
  max_decode_block_size?: Size | undefined;
}
export interface CompressionSpec {
  backend: StoreSpec;
  compression_algorithm: { lz4: Lz4Config };
}
export interface ExistenceCacheSpec {
  backend: StoreSpec;
  eviction_policy?: EvictionPolicy | undefined;
}
export interface SizePartitioningSpec {
  /** Objects smaller than this go to `lower_store`, the rest to `upper_store`. */
  size: Size;
  lower_store: StoreSpec;
  upper_store: StoreSpec;
}

/** The kinds of store this package models, each as its own single-key object. */
export interface StoreKinds {
  memory: MemorySpec;
  filesystem: FilesystemSpec;
  experimental_cloud_object_store: AwsObjectStoreSpec;
  fast_slow: FastSlowSpec;
  verify: VerifySpec;
  dedup: DedupSpec;
  compression: CompressionSpec;
  existence_cache: ExistenceCacheSpec;
  size_partitioning: SizePartitioningSpec;
  grpc: GrpcStoreSpec;
  ref_store: RefStoreSpec;
  noop: NoopSpec;
}
export type StoreKind = keyof StoreKinds;
/** One store: exactly one of the kinds. */
export type StoreSpec = { [Kind in StoreKind]: { [K in Kind]: StoreKinds[Kind] } }[StoreKind];

/** Declared first and resolved lazily, because wrapper specs nest it. */
export const StoreSpec: z.ZodType<StoreSpec> = z.lazy(() => oneKindOf<StoreSpec>("store", storeKinds()));

export const FastSlowSpec: z.ZodType<FastSlowSpec> = strict({
  fast: StoreSpec,
  fast_direction: StoreDirection.optional(),
  slow: StoreSpec,
  slow_direction: StoreDirection.optional(),
  bypass_dedup_threshold_bytes: size().optional(),
});

export const VerifySpec: z.ZodType<VerifySpec> = strict({
  backend: StoreSpec,
  verify_size: flag().optional(),
  verify_hash: flag().optional(),
});

export const DedupSpec: z.ZodType<DedupSpec> = strict({
  index_store: StoreSpec,
  content_store: StoreSpec,
  min_size: size(U32_MAX).optional(),
  normal_size: size(U32_MAX).optional(),
  max_size: size(U32_MAX).optional(),
  max_concurrent_fetch_per_get: integer(U32_MAX).optional(),
});

const Lz4Config = strict({
  block_size: size(U32_MAX).optional(),
  max_decode_block_size: size(U32_MAX).optional(),
});

export const CompressionSpec: z.ZodType<CompressionSpec> = strict({
  backend: StoreSpec,
  compression_algorithm: strict({ lz4: Lz4Config }),
});

export const ExistenceCacheSpec: z.ZodType<ExistenceCacheSpec> = strict({
  backend: StoreSpec,
  eviction_policy: EvictionPolicy.optional(),
});

export const SizePartitioningSpec: z.ZodType<SizePartitioningSpec> = strict({
  size: size(),
  lower_store: StoreSpec,
  upper_store: StoreSpec,
});

function storeKinds(): Record<StoreKind, z.ZodType> {
  return {
    memory: MemorySpec,
    filesystem: FilesystemSpec,
    experimental_cloud_object_store: AwsObjectStoreSpec,
    fast_slow: FastSlowSpec,
    verify: VerifySpec,
    dedup: DedupSpec,
    compression: CompressionSpec,
    existence_cache: ExistenceCacheSpec,
    size_partitioning: SizePartitioningSpec,
    grpc: GrpcStoreSpec,
    ref_store: RefStoreSpec,
    noop: NoopSpec,
  };
}

/** A top-level store: `{name, <kind>: {...}}`, referenced elsewhere by `name`. */
export type NamedStore = { name: string } & StoreSpec;
export const NamedStore: z.ZodType<NamedStore> = z.lazy(() => oneKindOf<NamedStore>("store", storeKinds(), { name: reference("store") }));

/** The kind of a store spec. */
export function storeKind(spec: StoreSpec): StoreKind {
  return (Object.keys(spec) as (StoreKind | "name")[]).find((key): key is StoreKind => key !== "name")!;
}
