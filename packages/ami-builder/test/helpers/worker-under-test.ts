// A real NativeLink worker under test beside one process that is its scheduler and CAS, in memory: the configurations
// the worker tests (run-action, worker-otlp) give the binary.
import { PRESET_NAMES, parseConfig, renderConfig, workerConfig, type NativeLinkConfig } from "@nativelink-aws/nativelink-config";

/** Scheduler and CAS in one process, in memory: only the worker is under test. */
export function inMemoryServerConfig(publicPort: number, workerApiPort: number): string {
  return renderConfig(
    parseConfig({
      stores: [
        { name: "AC", memory: {} },
        { name: "CAS", memory: {} },
      ],
      schedulers: [{ name: "main", simple: {} }],
      servers: [
        {
          listener: { http: { socket_address: `127.0.0.1:${publicPort}` } },
          services: {
            cas: [{ cas_store: "CAS" }],
            ac: [{ ac_store: "AC" }],
            bytestream: [{ cas_store: "CAS" }],
            capabilities: [{ remote_execution: { scheduler: "main" } }],
            execution: [{ cas_store: "CAS", scheduler: "main" }],
          },
        },
        { listener: { http: { socket_address: `127.0.0.1:${workerApiPort}` } }, services: { worker_api: { scheduler: "main" } } },
      ],
    }),
  );
}

/** The worker preset as the cluster renders it, its S3 stores replaced by the in-memory server's gRPC stores. */
export function workerAgainstServer(options: Parameters<typeof workerConfig>[0], publicPort: number): string {
  const preset = workerConfig(options);
  const grpc = (storeType: "cas" | "ac") => ({ grpc: { endpoints: [{ address: `grpc://127.0.0.1:${publicPort}` }], store_type: storeType } });
  const stores = preset.stores.map((store) => {
    if (store.name === PRESET_NAMES.acStore) return { name: store.name, ...grpc("ac") };
    if (!("fast_slow" in store)) throw new Error(`unexpected worker store ${store.name}`);
    return { name: store.name, fast_slow: { ...store.fast_slow, slow: grpc("cas") } };
  });
  return renderConfig(parseConfig({ ...preset, stores } as NativeLinkConfig));
}
