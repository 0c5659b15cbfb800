/** The CAS role: the public remote cache behind the `cas.` load balancer. */
import type { z } from "zod";
import { parseConfig } from "../parse.js";
import { renderConfig } from "../render.js";
import type { NativeLinkConfig } from "../schema/config.js";
import { checkPrefixes, checkSecondPort, clusterServerShape, portOption, resolveOptions, strictOptions } from "./options.js";
import type { BucketLayoutOptions, SameShape } from "./options.js";
import { memoryCachedBucketStores, remoteCacheServices } from "./stores.js";

export interface CasOptions extends BucketLayoutOptions {
  /** REAPI instance name (Bazel `--remote_instance_name`). @default "main" */
  instanceName?: string;
  /** Address the listener binds. @default "0.0.0.0" */
  listenAddress?: string;
  /**
   * Port of the public gRPC listener the load balancer forwards to. Its action cache is read-only
   * (`UpdateActionResult` answers PERMISSION_DENIED): anyone let in may read results, not write them.
   * @default 50051
   */
  port?: number;
  /**
   * Port of the "writers" listener: the same services with a writable action cache, for trusted
   * clients only (CI, behind a listener of its own). Must differ from `port`.
   * @default 50071 (`CAS_WRITERS_PORT`)
   */
  writerPort?: number;
  /** Path of the health route on both listeners. @default "/status" */
  healthPath?: string;
}

/** Default port of the CAS role's writers listener (writable action cache); the cluster forwards trusted clients to it. */
export const CAS_WRITERS_PORT = 50071;

/** Every default of the CAS role, in one place. */
const casOptions = strictOptions({
  ...clusterServerShape(50051),
  writerPort: portOption.default(CAS_WRITERS_PORT),
}).superRefine((options, ctx) => {
  checkPrefixes(options, ctx);
  checkSecondPort(options, "writerPort", `the writers' listener needs a port of its own (e.g. ${CAS_WRITERS_PORT})`, ctx);
});
export type ResolvedCasOptions = z.output<typeof casOptions>;
const _casOptionsMatch: SameShape<z.input<typeof casOptions>, CasOptions> = true;

/**
 * CAS and action cache in S3, each behind an in-memory cache sized by the boot environment;
 * uploads are verified. Two listeners serve cas, ac, capabilities, bytestream and health: "public"
 * on `port` with a read-only action cache, and "writers" on `writerPort` with a writable one, so
 * that only clients let through to the writers' port can store action results (a poisoned result
 * would be served to everyone). CAS uploads are allowed on both: they are verified against their
 * digest. Health sits on the gRPC ports because those are the ports the load balancer checks.
 * @throws NativeLinkConfigError naming the option (`casConfig.port: ...`) when an option is invalid.
 */
export function casConfig(options: CasOptions = {}): NativeLinkConfig {
  const o = resolveOptions("casConfig", casOptions, options);
  const services = (acReadOnly: boolean) => remoteCacheServices(o.instanceName, { acReadOnly, healthPath: o.healthPath });
  return parseConfig({
    stores: memoryCachedBucketStores(o, { verifyCasUploads: true }),
    servers: [
      { name: "public", listener: { http: { socket_address: `${o.listenAddress}:${o.port}` } }, services: services(true) },
      { name: "writers", listener: { http: { socket_address: `${o.listenAddress}:${o.writerPort}` } }, services: services(false) },
    ],
  });
}

/** `casConfig(options)` rendered as JSON5. */
export function renderCasConfig(options: CasOptions = {}): string {
  return renderConfig(casConfig(options), { comment: ["Role: cas (remote cache)."] });
}
