/**
 * A worker's OTLP export, on the real NativeLink worker: its logs hold every action's command line, and NativeLink's
 * default endpoint, localhost:4317, is a port any action could listen on. The worker runs with the environment the
 * bootstrap writes, in a network namespace of its own where a stand-in for such an action listens on 127.0.0.1:4317.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_NATIVELINK_BINARY, nativeLinkBinary } from "../../../tools/nativelink/nativelink-process.js";
import { startFakeImds, type FakeImds } from "./helpers/fake-imds.js";
import { ROOT_VOLUME, instanceStoreDisk } from "./helpers/fake-tools.js";
import { FakeInstance } from "./helpers/instance.js";
import { NetworkNamespace } from "./helpers/netns.js";
import { inMemoryServerConfig, workerAgainstServer } from "./helpers/worker-under-test.js";

const PUBLIC_PORT = 50051;
const WORKER_API_PORT = 50061;
const binary = nativeLinkBinary();
const missing = [binary ? undefined : NO_NATIVELINK_BINARY, NetworkNamespace.available() ? undefined : "root, ip and iptables (a network namespace)"].filter(
  Boolean,
);

/** An h2c server on 127.0.0.1:4317 that answers every gRPC call and records its path, one a line. */
const SINK = `
const received = process.argv[2];
const server = require("node:http2").createServer();
server.on("stream", (stream, headers) => {
  require("node:fs").appendFileSync(received, headers[":path"] + "\\n");
  stream.resume();
  stream.on("end", () => {
    stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
    stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
    stream.end(Buffer.from([0, 0, 0, 0, 0]));
  });
});
server.listen(4317, "127.0.0.1", () => require("node:fs").writeFileSync(received + ".ready", ""));
`;

/**
 * In the namespace: the sink, the server and a worker with `env`; waits for the worker's registration, lets it run
 * `seconds` more (metrics every 0.5 s, logs batched every second), then stops all three.
 */
const DRIVER = `
set -u
dir="$1" seconds="$2"
cd "$dir"
"$NODE" sink.js "$dir/received" & sink=$!
for _ in $(seq 100); do [[ -f received.ready ]] && break; sleep 0.05; done
OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:9 "$NATIVELINK" server.json5 >server.log 2>&1 & server=$!
sleep 1
env $WORKER_ENV OTEL_METRIC_EXPORT_INTERVAL=500 NO_COLOR=1 "$NATIVELINK" worker.json5 >worker.log 2>&1 & worker=$!
for _ in $(seq 100); do grep -q "Worker registered with scheduler" worker.log && break; sleep 0.1; done
sleep "$seconds"
# The worker first: with the server gone first, it would log its lost connection as an ERROR before it stops.
kill "$worker"; wait "$worker"
kill "$server"; wait "$server"
kill "$sink"; wait "$sink"
touch received
`;

describe.skipIf(missing.length > 0)(
  `a worker's OTLP export, real NativeLink${missing.length ? ` (skipped: needs ${missing.join("; ")})` : ""}`,
  { timeout: 60_000 },
  () => {
    let imds: FakeImds;
    let instance: FakeInstance;
    let bootEnv: Record<string, string>;
    let base: string;

    beforeAll(async () => {
      base = mkdtempSync(join(tmpdir(), "nativelink-worker-otlp-"));
      imds = await startFakeImds({ tags: { "nativelink:role": "worker", "nativelink:deployment": "nativelink" } });
      instance = new FakeInstance([ROOT_VOLUME, instanceStoreDisk(1)]);
      instance.writeRoleFile([
        "NATIVELINK_ROLE=worker",
        "NATIVELINK_DEPLOYMENT=nativelink",
        "NATIVELINK_REGION=us-west-2",
        "NATIVELINK_BUCKET=nativelink-cas-123456789012",
        "NATIVELINK_SCHEDULER_HOST=scheduler.internal.example.com",
      ]);
      const result = await instance.runBootstrap(imds.endpoint);
      expect(result.code, result.stderr).toBe(0);
      bootEnv = instance.envValues();
    });

    afterAll(async () => {
      await imds?.close();
      instance?.remove();
      if (base) rmSync(base, { recursive: true, force: true });
    });

    /** What a listener on 127.0.0.1:4317 received from a worker run with `env`, and the worker's log. */
    async function listen(name: string, env: Record<string, string>): Promise<{ received: string[]; log: string }> {
      const dir = join(base, name);
      const namespace = NetworkNamespace.create();
      try {
        mkdirSync(dir);
        writeFileSync(join(base, `${name}.sh`), DRIVER);
        writeFileSync(join(dir, "sink.js"), SINK);
        writeFileSync(join(dir, "server.json5"), inMemoryServerConfig(PUBLIC_PORT, WORKER_API_PORT));
        writeFileSync(
          join(dir, "worker.json5"),
          workerAgainstServer({ mountPath: join(dir, "mount"), schedulerHost: "127.0.0.1", workerApiPort: WORKER_API_PORT, actionRunner: false }, PUBLIC_PORT),
        );
        const run = await namespace.run("bash", [join(base, `${name}.sh`), dir, "3"], {
          NODE: process.execPath,
          NATIVELINK: binary!,
          WORKER_ENV: Object.entries(env)
            .map(([key, value]) => `${key}=${value}`)
            .join(" "),
        });
        const log = readFileSync(join(dir, "worker.log"), "utf8");
        expect(run.code, `${run.stderr}\n${log}`).toBe(0);
        expect(log).toContain("Worker registered with scheduler");
        return { received: readFileSync(join(dir, "received"), "utf8").split("\n").filter(Boolean), log };
      } finally {
        namespace.remove();
      }
    }

    it("NativeLink's default endpoint: the listener gets the worker's logs (where its actions' command lines go; the leak, shown)", async () => {
      const { received } = await listen("default", {});
      expect(received).toContain("/opentelemetry.proto.collector.logs.v1.LogsService/Export");
    });

    it("the bootstrap's worker environment: the listener gets nothing, and the worker logs no export error", async () => {
      const otel = Object.fromEntries(Object.entries(bootEnv).filter(([key]) => key.startsWith("OTEL_")));
      expect(otel).toEqual({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:1" });
      const { received, log } = await listen("bootstrap", otel);
      expect(received).toEqual([]);
      expect(log).not.toMatch(/opentelemetry|otlp|export|4317|127\.0\.0\.1:1\b/i);
      expect(log).not.toMatch(/\bERROR\b/);
    });
  },
);
