/** The whole file (`CasConfig` in nativelink-config/src/cas_server.rs at v1.6.6). */
import { z } from "zod";
import { integer, size } from "../values/fields.js";
import { NamedScheduler } from "./schedulers.js";
import { ServerConfig } from "./servers.js";
import { NamedStore } from "./stores.js";
import { strict } from "./strict.js";
import { WorkerConfig } from "./workers.js";

export const GlobalConfig = strict({
  /** Required by NativeLink whenever `global` is present; must exceed 10. */
  max_open_files: integer().refine((value) => typeof value !== "number" || value > 10, {
    error: "max_open_files must be greater than 10",
  }),
  default_digest_hash_function: z.enum(["sha256", "blake3"]).optional(),
  default_digest_size_health_check: size().optional(),
});
export type GlobalConfig = z.output<typeof GlobalConfig>;

export const NativeLinkConfigSchema = strict({
  stores: z.array(NamedStore),
  schedulers: z.array(NamedScheduler).optional(),
  workers: z.array(WorkerConfig).optional(),
  servers: z.array(ServerConfig),
  global: GlobalConfig.optional(),
});

/** A NativeLink v1.6.6 configuration, as this package models it. */
export type NativeLinkConfig = z.output<typeof NativeLinkConfigSchema>;
/** What `parseConfig` accepts before validation (records may come in any key order). */
export type NativeLinkConfigInput = z.input<typeof NativeLinkConfigSchema>;
