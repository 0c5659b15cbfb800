/** Hand-written configurations used across tests. */
import type { NativeLinkConfigInput } from "../src/index.js";
import { safeParseConfig } from "../src/index.js";

const s3 = (prefix: string) => ({
  experimental_cloud_object_store: { provider: "aws", region: "us-west-2", bucket: "my-cas-bucket", key_prefix: prefix },
});

/** A CAS, a scheduler and a worker in one process: every kind of reference appears once. */
export function allInOne(): NativeLinkConfigInput {
  return {
    stores: [
      { name: "CAS", fast_slow: { fast: { memory: { eviction_policy: { max_bytes: "1gb" } } }, slow: s3("cas/") } },
      { name: "AC", memory: { eviction_policy: { max_bytes: 100_000_000 } } },
      {
        name: "WORKER_CAS",
        fast_slow: {
          fast: { filesystem: { content_path: "/data/content", temp_path: "/data/tmp", eviction_policy: { max_bytes: "${CACHE_BYTES:-10gb}" } } },
          slow: { ref_store: { name: "CAS" } },
        },
      },
    ],
    schedulers: [{ name: "MAIN", simple: { supported_platform_properties: { cpu_count: "minimum" } } }],
    workers: [
      {
        local: {
          worker_api_endpoint: { uri: "grpc://127.0.0.1:50061" },
          cas_fast_slow_store: "WORKER_CAS",
          upload_action_result: { ac_store: "AC" },
          work_directory: "/data/work",
          platform_properties: { cpu_count: { query_cmd: "/usr/bin/nproc" }, OSFamily: { values: ["linux"] } },
        },
      },
    ],
    servers: [
      {
        listener: { http: { socket_address: "0.0.0.0:50051" } },
        services: {
          cas: [{ instance_name: "main", cas_store: "CAS" }],
          ac: [{ instance_name: "main", ac_store: "AC" }],
          execution: [{ instance_name: "main", cas_store: "CAS", scheduler: "MAIN" }],
          capabilities: [{ instance_name: "main", remote_execution: { scheduler: "MAIN" } }],
          bytestream: [{ instance_name: "main", cas_store: "CAS" }],
        },
      },
      {
        listener: { http: { socket_address: "0.0.0.0:50061" } },
        services: { worker_api: { scheduler: "MAIN" }, admin: {}, health: {} },
      },
    ],
  };
}

/** Every store kind, nested, plus the optional parts of servers, workers and global. */
export function everyKind(): NativeLinkConfigInput {
  return {
    stores: [
      {
        name: "CAS",
        verify: {
          verify_size: true,
          verify_hash: "${VERIFY_HASH:-true}",
          backend: {
            size_partitioning: {
              size: "128mib",
              lower_store: { existence_cache: { backend: { ref_store: { name: "DEDUP" } }, eviction_policy: { max_seconds: "1h" } } },
              upper_store: { noop: {} },
            },
          },
        },
      },
      {
        name: "DEDUP",
        dedup: {
          index_store: { memory: { eviction_policy: { max_bytes: "100mb", evict_bytes: "10mb", max_count: "1000" } } },
          content_store: {
            compression: {
              compression_algorithm: { lz4: { block_size: "64kib" } },
              backend: {
                experimental_cloud_object_store: {
                  provider: "aws",
                  region: "${AWS_REGION:-eu-west-1}",
                  bucket: "b",
                  key_prefix: "dedup/",
                  retry: { max_retries: 6, delay: 0.3, jitter: 0.5, retry_on_errors: ["Unavailable", "Internal"] },
                  consider_expired_after_s: "7d",
                  max_retry_buffer_per_request: "5mb",
                  multipart_max_concurrent_uploads: 10,
                },
              },
            },
          },
          max_concurrent_fetch_per_get: 10,
        },
      },
      {
        name: "UPSTREAM_AC",
        grpc: {
          instance_name: "main",
          endpoints: [{ address: "grpcs://${UPSTREAM:-cas.example.com}:443", tls_config: { use_native_roots: true } }],
          store_type: "ac",
          rpc_timeout_s: "5m",
        },
      },
      {
        name: "FS",
        fast_slow: {
          fast: { filesystem: { content_path: "/w/c", temp_path: "/w/t", read_buffer_size: "32kib" } },
          fast_direction: "get",
          slow: { ref_store: { name: "CAS" } },
        },
      },
    ],
    schedulers: [
      { name: "S", simple: { worker_timeout_s: 30, max_job_retries: 3, allocation_strategy: "most_recently_used", worker_match_logging_interval_s: -1 } },
    ],
    workers: [
      {
        local: {
          name: "w-${HOSTNAME:-local}",
          worker_api_endpoint: { uri: "grpc://${SCHEDULER:-localhost}:50061", timeout: 5 },
          max_action_timeout_s: "30m",
          max_inflight_tasks: 4,
          cas_fast_slow_store: "FS",
          upload_action_result: { ac_store: "UPSTREAM_AC", upload_ac_results_strategy: "everything" },
          work_directory: "/w/work",
          platform_properties: { ISA: { values: ["x86-64"] } },
          additional_environment: { TIMEOUT: "timeout_millis", ARCH: { property: "ISA" }, MODE: { value: "${MODE:-ci}" } },
        },
      },
    ],
    servers: [
      {
        name: "tls",
        listener: {
          http: {
            socket_address: "[::]:443",
            tls: { cert_file: "/etc/tls/cert.pem", key_file: "${TLS_KEY:-/etc/tls/key.pem}" },
            compression: { send_compression_algorithm: "gzip", accepted_compression_algorithms: ["gzip"] },
            max_decoding_message_size: "16mib",
          },
        },
        services: {
          cas: [{ cas_store: "CAS" }],
          ac: [{ ac_store: "UPSTREAM_AC", read_only: true }],
          capabilities: [{}],
          bytestream: [{ cas_store: "CAS", max_bytes_per_stream: "64kib", persist_stream_on_disconnect_timeout_s: 10 }],
          health: { path: "/healthz", timeout_seconds: 5 },
        },
      },
    ],
    global: { max_open_files: 24576, default_digest_hash_function: "sha256" },
  };
}

/** The `.message` of the error the input fails with ("" when it is valid). */
export function errorOf(input: unknown): string {
  const result = safeParseConfig(input);
  return result.success ? "" : result.error.message;
}

/** Tests break configurations on purpose, in ways the types forbid. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

/** A fresh `allInOne()` with `change` applied. */
export function broken(change: (config: Loose) => void): NativeLinkConfigInput {
  const config = allInOne();
  change(config);
  return config;
}
