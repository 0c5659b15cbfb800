/** Servers: one HTTP/2 listener each, plus the services it serves (cas_server.rs at v1.6.6). */
import { z } from "zod";
import { expandedString, flag, integer, literalString, reference, size, duration } from "../values/fields.js";
import { strict } from "./strict.js";

/** Every REAPI service entry names the instance it answers for; NativeLink defaults it to "". */
const instanceName = literalString().optional();

export const CasService = strict({ instance_name: instanceName, cas_store: reference("store") });
export const AcService = strict({
  instance_name: instanceName,
  ac_store: reference("store"),
  /**
   * `true`: `UpdateActionResult` answers PERMISSION_DENIED ("The store '<instance>' is read only on
   * this endpoint") before anything else is checked; `GetActionResult` still works. Default false.
   */
  read_only: z.boolean().optional(),
});
export const CapabilitiesService = strict({
  instance_name: instanceName,
  /** Absent: clients are told remote execution is not supported. */
  remote_execution: strict({ scheduler: reference("scheduler") }).optional(),
  remote_cache_compression: flag().optional(),
});
export const ExecutionService = strict({
  instance_name: instanceName,
  cas_store: reference("store"),
  scheduler: reference("scheduler"),
});
export const ByteStreamService = strict({
  instance_name: instanceName,
  cas_store: reference("store"),
  max_bytes_per_stream: size().optional(),
  persist_stream_on_disconnect_timeout_s: duration().optional(),
});
export const WorkerApiService = strict({
  scheduler: reference("scheduler"),
  disable_kill_revoked_operations: z.boolean().optional(),
  kill_revoked_operations_interval_s: z.number().int().nonnegative().optional(),
});
/** REST admin API (worker drain); it has no authentication, so keep it off public listeners. */
export const AdminService = strict({ path: literalString().optional() });
/** `GET <path>` answers 200, or 503 when a top-level store's health check fails. */
export const HealthService = strict({
  path: literalString().optional(),
  timeout_seconds: z.number().int().nonnegative().optional(),
});

/** The list form only; NativeLink still reads the pre-0.7 map form, we do not. */
export const Services = strict({
  cas: z.array(CasService).optional(),
  ac: z.array(AcService).optional(),
  capabilities: z.array(CapabilitiesService).optional(),
  execution: z.array(ExecutionService).optional(),
  bytestream: z.array(ByteStreamService).optional(),
  worker_api: WorkerApiService.optional(),
  admin: AdminService.optional(),
  health: HealthService.optional(),
});
export type Services = z.output<typeof Services>;

export const TlsConfig = strict({
  cert_file: expandedString(),
  key_file: expandedString(),
  client_ca_file: expandedString().optional(),
  client_crl_file: expandedString().optional(),
});

const HttpCompressionAlgorithm = z.enum(["none", "gzip"]);

export const HttpListener = strict({
  /** `host:port`, e.g. `0.0.0.0:50051`. */
  socket_address: expandedString(),
  compression: strict({
    send_compression_algorithm: HttpCompressionAlgorithm.optional(),
    accepted_compression_algorithms: z.array(HttpCompressionAlgorithm),
  }).optional(),
  advanced_http: strict({
    http2_keep_alive_interval: integer().optional(),
    experimental_http2_max_concurrent_streams: integer().optional(),
    experimental_http2_keep_alive_timeout_s: integer().optional(),
  }).optional(),
  max_decoding_message_size: size().optional(),
  /** Absent: plain text (h2c), e.g. behind a load balancer that terminates TLS. */
  tls: TlsConfig.optional(),
});

export const ServerConfig = strict({
  /** Used in logs and telemetry; defaults to the server's index. */
  name: expandedString().optional(),
  listener: strict({ http: HttpListener }),
  /** NativeLink refuses to start a server without services. */
  services: Services,
});
export type ServerConfig = z.output<typeof ServerConfig>;
