/**
 * The store layout every role shares. All roles read and write the same S3 objects, so the S3
 * stores are built here once: plain objects (no dedup, no compression), one per blob, under
 * `<casKeyPrefix><hash>-<size>` and `<acKeyPrefix><hash>-<size>`. Plain objects expire one by one
 * under a bucket lifecycle rule without leaving a dedup index pointing at missing chunks.
 */
import type { BootEnvKey } from "../boot-env.js";
import { bootPlaceholder } from "../boot-env.js";
import type { NamedStore, StoreSpec } from "../schema/stores.js";

/** Store and scheduler names used by the presets. */
export const NAMES = {
  casStore: "CAS_STORE",
  acStore: "AC_STORE",
  workerCasStore: "WORKER_CAS_STORE",
  scheduler: "MAIN_SCHEDULER",
} as const;

export interface BucketLayout {
  region: string;
  bucket: string;
  casKeyPrefix: string;
  acKeyPrefix: string;
  considerExpiredAfterSeconds: number | { cas: number; ac: number };
}

/** The S3 store for CAS blobs or action-cache entries. Retry settings are the original deployment's. */
export function s3Store(layout: BucketLayout, content: "cas" | "ac"): StoreSpec {
  return {
    experimental_cloud_object_store: {
      provider: "aws",
      region: layout.region,
      bucket: layout.bucket,
      key_prefix: content === "cas" ? layout.casKeyPrefix : layout.acKeyPrefix,
      retry: { max_retries: 6, delay: 0.3, jitter: 0.5 },
      consider_expired_after_s:
        typeof layout.considerExpiredAfterSeconds === "number" ? layout.considerExpiredAfterSeconds : layout.considerExpiredAfterSeconds[content],
    },
  };
}

/** An in-memory LRU cache sized by a boot variable (bytes computed on the instance). */
export function memoryCache(size: BootEnvKey): StoreSpec {
  return { memory: { eviction_policy: { max_bytes: bootPlaceholder(size) } } };
}

/** `fast` in front of `slow`; uploads go to both. */
export function cached(fast: StoreSpec, slow: StoreSpec): StoreSpec {
  return { fast_slow: { fast, slow } };
}

/** Checks size and hash of every upload, so a bad client cannot poison the shared CAS. */
export function verified(backend: StoreSpec): StoreSpec {
  return { verify: { backend, verify_size: true, verify_hash: true } };
}

/** A filesystem store under `dir` (content and temp side by side, so on one device). */
export function diskCache(dir: string, maxBytes: number | string): StoreSpec {
  return {
    filesystem: {
      content_path: `${dir}/content_path-cas`,
      temp_path: `${dir}/tmp_path-cas`,
      eviction_policy: { max_bytes: maxBytes },
    },
  };
}

/**
 * The CAS and action-cache stores of the cluster's roles: the bucket behind an in-memory cache sized by the boot
 * environment. The CAS role, which takes clients' uploads, verifies them (`verifyCasUploads`).
 */
export function memoryCachedBucketStores(layout: BucketLayout, { verifyCasUploads }: { verifyCasUploads: boolean }): NamedStore[] {
  const cas = cached(memoryCache("casContentMemoryBytes"), s3Store(layout, "cas"));
  return [
    { name: NAMES.casStore, ...(verifyCasUploads ? verified(cas) : cas) },
    { name: NAMES.acStore, ...cached(memoryCache("acMemoryBytes"), s3Store(layout, "ac")) },
  ];
}

/**
 * What a remote cache serves (cas, ac, capabilities, bytestream, health) over the presets' two stores: the cluster's
 * CAS listeners and the local proxy. `acReadOnly` refuses `UpdateActionResult`, so only trusted clients write results.
 */
export function remoteCacheServices(instanceName: string, { acReadOnly, healthPath }: { acReadOnly: boolean; healthPath: string }) {
  const instance_name = instanceName;
  return {
    cas: [{ instance_name, cas_store: NAMES.casStore }],
    ac: [{ instance_name, ac_store: NAMES.acStore, read_only: acReadOnly }],
    capabilities: [{ instance_name }],
    bytestream: [{ instance_name, cas_store: NAMES.casStore }],
    health: { path: healthPath },
  };
}
