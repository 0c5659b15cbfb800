/**
 * Stores that hold data themselves (no nested store): memory, filesystem, S3, gRPC, noop, ref.
 * Field names, defaults and expansion follow nativelink-config/src/stores.rs at v1.6.6.
 */
import { z } from "zod";
import { duration, expandedString, flag, integer, literalString, reference, size } from "../values/fields.js";
import { U32_MAX } from "../values/size.js";
import { strict } from "./strict.js";

/** LRU eviction; every limit defaults to 0, meaning "no limit of this kind". */
export const EvictionPolicy = strict({
  /** Evict once the store holds more than this many bytes. */
  max_bytes: size().optional(),
  /** Low watermark: keep evicting until `max_bytes - evict_bytes`. */
  evict_bytes: size().optional(),
  /** Evict entries not touched for this long. */
  max_seconds: duration(U32_MAX).optional(),
  /** Evict once the store holds more than this many entries. */
  max_count: integer().optional(),
});
export type EvictionPolicy = z.output<typeof EvictionPolicy>;

export const MemorySpec = strict({ eviction_policy: EvictionPolicy.optional() });
export type MemorySpec = z.output<typeof MemorySpec>;

export const FilesystemSpec = strict({
  /** Where blobs live; scanned at start-up. */
  content_path: expandedString(),
  /** Scratch space, purged at start-up; must be on the same device as `content_path`. */
  temp_path: expandedString(),
  read_buffer_size: size(U32_MAX).optional(),
  eviction_policy: EvictionPolicy.optional(),
  block_size: size().optional(),
  max_concurrent_writes: integer().optional(),
  evict_page_cache: z.boolean().optional(),
});
export type FilesystemSpec = z.output<typeof FilesystemSpec>;

/** gRPC status names NativeLink may retry on (serde uses the Rust variant names). */
export const ErrorCode = z.enum([
  "Cancelled",
  "Unknown",
  "InvalidArgument",
  "DeadlineExceeded",
  "NotFound",
  "AlreadyExists",
  "PermissionDenied",
  "ResourceExhausted",
  "FailedPrecondition",
  "Aborted",
  "OutOfRange",
  "Unimplemented",
  "Internal",
  "Unavailable",
  "DataLoss",
  "Unauthenticated",
]);

/** Exponential back-off: attempt n waits about `2^n * delay` seconds, spread by `jitter`. */
export const Retry = strict({
  max_retries: integer().optional(),
  delay: z.number().nonnegative().optional(),
  jitter: z.number().nonnegative().optional(),
  retry_on_errors: z.array(ErrorCode).optional(),
});
export type Retry = z.output<typeof Retry>;

/**
 * `experimental_cloud_object_store` with `provider: "aws"`. NativeLink never deletes objects;
 * credentials come from the default AWS chain. `region` and `bucket` default to "" in NativeLink,
 * which never works, so they are required here.
 */
export const AwsObjectStoreSpec = strict({
  provider: z.literal("aws", { error: 'this package supports provider "aws" only' }),
  region: expandedString().pipe(z.string().min(1, { error: "region must not be empty" })),
  bucket: expandedString().pipe(z.string().min(1, { error: "bucket must not be empty" })),
  /** Not shell-expanded by NativeLink. */
  key_prefix: literalString().optional(),
  retry: Retry.optional(),
  /** Objects older than this count as missing (0 = never); pair with a bucket lifecycle rule. */
  consider_expired_after_s: duration(U32_MAX).optional(),
  max_retry_buffer_per_request: size().optional(),
  multipart_max_concurrent_uploads: integer().optional(),
  insecure_allow_http: flag().optional(),
  disable_http2: flag().optional(),
});
export type AwsObjectStoreSpec = z.output<typeof AwsObjectStoreSpec>;

export const ClientTlsConfig = strict({
  ca_file: expandedString().optional(),
  cert_file: expandedString().optional(),
  key_file: expandedString().optional(),
  use_native_roots: z.boolean().optional(),
});
export type ClientTlsConfig = z.output<typeof ClientTlsConfig>;

export const GrpcEndpoint = strict({
  /** `grpc://host:port` or `grpcs://host:port`. */
  address: expandedString(),
  tls_config: ClientTlsConfig.optional(),
  concurrency_limit: integer().optional(),
  connect_timeout_s: duration().optional(),
  tcp_keepalive_s: duration().optional(),
  http2_keepalive_interval_s: duration().optional(),
  http2_keepalive_timeout_s: duration().optional(),
});
export type GrpcEndpoint = z.output<typeof GrpcEndpoint>;

export const StoreType = z.enum(["cas", "ac"]);

/** Forwards to another REAPI server. */
export const GrpcStoreSpec = strict({
  instance_name: expandedString().optional(),
  endpoints: z.array(GrpcEndpoint).min(1, { error: "add at least one endpoint" }),
  store_type: StoreType,
  retry: Retry.optional(),
  max_concurrent_requests: integer().optional(),
  connections_per_endpoint: integer().optional(),
  rpc_timeout_s: duration().optional(),
});
export type GrpcStoreSpec = z.output<typeof GrpcStoreSpec>;

/** Points at a store defined at the top level, by name. */
export const RefStoreSpec = strict({ name: reference("store") });
export type RefStoreSpec = z.output<typeof RefStoreSpec>;

/** Discards writes, finds nothing. NativeLink tolerates keys here; we do not. */
export const NoopSpec = strict({});
export type NoopSpec = z.output<typeof NoopSpec>;
