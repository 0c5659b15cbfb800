/** A CAS on the developer's own machine that talks to the deployment's bucket directly. */
import { z } from "zod";
import { parseConfig } from "../parse.js";
import { renderConfig } from "../render.js";
import type { NativeLinkConfig } from "../schema/config.js";
import { size } from "../values/fields.js";
import type { BucketLayoutOptions, SameShape } from "./options.js";
import {
  absoluteDirOption,
  bucketLayoutShape,
  bucketOption,
  checkPrefixes,
  instanceNameOption,
  listenAddressOption,
  portOption,
  regionOption,
  resolveOptions,
  strictOptions,
} from "./options.js";
import { NAMES, cached, diskCache, remoteCacheServices, s3Store, verified } from "./stores.js";

/** Region and bucket are required: a laptop has no boot environment to take them from. */
export interface LocalCasProxyOptions extends Omit<BucketLayoutOptions, "region" | "bucket"> {
  /** AWS region of the deployment's bucket (required: a laptop has no boot environment). */
  region: string;
  /** Name of the deployment's CAS bucket (required). */
  bucket: string;
  /** REAPI instance name; use the cluster's so keys match. @default "main" */
  instanceName?: string;
  /** Address to bind; keep it on loopback, the proxy has no authentication. @default "127.0.0.1" */
  listenAddress?: string;
  /** Port to listen on (Bazel `--remote_cache=grpc://127.0.0.1:PORT`). @default 50051 */
  port?: number;
  /** Absolute directory for a local disk cache in front of S3; none when absent. @default undefined */
  cacheDir?: string;
  /** Size limit of that disk cache (bytes or e.g. "10gb"). @default "10gb" */
  cacheMaxBytes?: number | string;
  /**
   * Let clients of the proxy store action results (`UpdateActionResult`). Off by default: like the
   * cluster's public endpoint, a workstation reads results but does not write them, so that a local,
   * possibly non-hermetic result never reaches everyone's cache. Turn it on only on a trusted machine
   * (e.g. CI) whose AWS credentials may write the bucket's action-cache prefix.
   * @default false
   */
  writableActionCache?: boolean;
}

const localCasProxyOptions = strictOptions({
  ...bucketLayoutShape(),
  region: regionOption,
  bucket: bucketOption,
  instanceName: instanceNameOption.default("main"),
  listenAddress: listenAddressOption.default("127.0.0.1"),
  port: portOption.default(50051),
  cacheDir: absoluteDirOption.optional(),
  cacheMaxBytes: size().default("10gb"),
  writableActionCache: z.boolean({ error: "expected true or false" }).default(false),
}).superRefine(checkPrefixes);
export type ResolvedLocalCasProxyOptions = z.output<typeof localCasProxyOptions>;
const _localOptionsMatch: SameShape<z.input<typeof localCasProxyOptions>, LocalCasProxyOptions> = true;

/**
 * cas, ac, capabilities, bytestream and health on 127.0.0.1:50051, backed by the S3 bucket with the
 * cluster's key layout (credentials from the default AWS chain, e.g. AWS_PROFILE). Uploads are
 * verified, so a local mistake cannot poison the shared cache, and the action cache is read-only
 * unless `writableActionCache` (Bazel then warns that it cannot upload local results; pass
 * `--remote_upload_local_results=false`). The AWS credentials stay the real boundary: give
 * developers read-only access to the action-cache prefix. With `cacheDir`, CAS reads are cached on
 * local disk; the action cache always goes to S3 so results stay current.
 * @throws NativeLinkConfigError naming the option (`localCasProxyConfig.bucket: ...`).
 */
export function localCasProxyConfig(options: LocalCasProxyOptions): NativeLinkConfig {
  const o = resolveOptions("localCasProxyConfig", localCasProxyOptions, options);
  const s3Cas = s3Store(o, "cas");
  return parseConfig({
    stores: [
      { name: NAMES.casStore, ...verified(o.cacheDir ? cached(diskCache(o.cacheDir, o.cacheMaxBytes), s3Cas) : s3Cas) },
      { name: NAMES.acStore, ...s3Store(o, "ac") },
    ],
    servers: [
      {
        name: "local",
        listener: { http: { socket_address: `${o.listenAddress}:${o.port}` } },
        services: remoteCacheServices(o.instanceName, { acReadOnly: !o.writableActionCache, healthPath: "/status" }),
      },
    ],
  });
}

/** `localCasProxyConfig(options)` rendered as JSON5. */
export function renderLocalCasProxyConfig(options: LocalCasProxyOptions): string {
  return renderConfig(localCasProxyConfig(options), { comment: ["Role: local CAS proxy (runs on a workstation)."] });
}
