// Every configuration @nativelink-aws/nativelink-config renders, run unchanged by the real binary: in a private
// network and /mnt (a fresh machine), so default ports and paths are free. Accepted means every listener reports
// "Ready, listening on …" and a worker registers with its scheduler; a rejection shows NativeLink's own error.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfigText, renderCasConfig, renderLocalCasProxyConfig, renderSchedulerConfig, renderWorkerConfig } from "@nativelink-aws/nativelink-config";
import { afterEach, describe, expect, inject, it } from "vitest";
import { PrivateMachine } from "../src/namespaces.js";
import { ProcessGroup } from "../src/processes.js";

const EXPIRY = { cas: 29 * 86_400, ac: 13 * 86_400 };
const LAYOUT = { region: "eu-west-1", bucket: "ci-cas-bucket", casKeyPrefix: "blobs/", acKeyPrefix: "results/", considerExpiredAfterSeconds: EXPIRY };

/** Each variant's files, started in order in one machine (a worker after its scheduler). */
const VARIANTS: [string, Record<string, string>][] = [
  ["the CAS preset, defaults", { cas: renderCasConfig() }],
  [
    "the CAS preset, every option",
    { cas: renderCasConfig({ ...LAYOUT, instanceName: "ci", listenAddress: "127.0.0.1", port: 41051, writerPort: 41071, healthPath: "/healthz" }) },
  ],
  ["the scheduler and worker presets, defaults", { scheduler: renderSchedulerConfig(), worker: renderWorkerConfig() }],
  [
    "the scheduler and worker presets, every option",
    {
      scheduler: renderSchedulerConfig({
        ...LAYOUT,
        instanceName: "ci",
        listenAddress: "127.0.0.1",
        port: 41052,
        workerApiPort: 41061,
        healthPath: "/healthz",
      }),
      worker: renderWorkerConfig({
        ...LAYOUT,
        schedulerHost: "localhost",
        workerApiPort: 41061,
        mountPath: "/mnt/ci-cache",
        maxActionTimeoutSeconds: 600,
        // NativeLink runs the entrypoint only with an action: a path nothing installed still starts.
        actionRunner: "/opt/ci/bin/run-action",
      }),
    },
  ],
  ["the scheduler and worker presets, no action runner", { scheduler: renderSchedulerConfig(), worker: renderWorkerConfig({ actionRunner: false }) }],
  ["the local CAS proxy preset, required options", { proxy: renderLocalCasProxyConfig({ region: "us-east-1", bucket: "ci-cas-bucket" }) }],
  [
    "the local CAS proxy preset, every option",
    {
      proxy: renderLocalCasProxyConfig({
        ...LAYOUT,
        instanceName: "ci",
        listenAddress: "127.0.0.1",
        port: 41051,
        cacheDir: "/mnt/local-cas",
        cacheMaxBytes: "1gb",
        writableActionCache: true,
      }),
    },
  ],
];

/** What every instance's environment has (AWS_REGION from the bootstrap; credentials from the instance role). */
const ENVIRONMENT = {
  PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "testing",
  AWS_SECRET_ACCESS_KEY: "testing",
};

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe("the real NativeLink accepts every configuration the presets render", () => {
  it.each(VARIANTS)("%s", async (_, files) => {
    const directory = mkdtempSync(join(tmpdir(), "nativelink-presets-"));
    const processes = new ProcessGroup(directory);
    cleanup = async () => {
      await processes.stopAll();
      rmSync(directory, { recursive: true, force: true });
    };
    const machine = await PrivateMachine.start(processes, "machine");
    for (const [name, text] of Object.entries(files)) {
      const path = join(directory, `${name}.json5`);
      writeFileSync(path, text);
      const [command, args] = machine.wrap([inject("nativelinkBin"), [path]]);
      const started = processes.start(name, command, args, { env: ENVIRONMENT });
      const config = parseConfigText(text);
      for (const server of config.servers) {
        const address = server.listener.http.socket_address;
        await started.waitForLog(new RegExp(`Ready, listening on ${address.replaceAll(".", "\\.")}`), `a listener on ${address}`, 20_000);
      }
      if (config.workers?.length) await started.waitForLog(/Worker registered with scheduler/, "its registration with the scheduler", 20_000);
      expect(started.log()).not.toMatch(/ERROR|panicked/);
    }
  });
});
