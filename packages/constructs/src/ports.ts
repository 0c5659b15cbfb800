import { CAS_WRITERS_PORT } from "@nativelink-aws/nativelink-config";

/** The ports of the original deployment; NativeLink configs and security groups agree on them. */
export const NATIVELINK_PORTS = {
  /** CAS, AC (read-only), ByteStream and Capabilities for Bazel, behind the load balancer. */
  cas: 50051,
  /** The same services with a writable action cache, for trusted clients only (`casConfig`'s "writers" listener). */
  casWriters: CAS_WRITERS_PORT,
  /** Execution and Capabilities for Bazel, behind the load balancer. */
  schedulerPublic: 50052,
  /** Worker API, admin and health: reachable only from workers (and the autoscaler). */
  schedulerWorkerApi: 50061,
} as const;
