/**
 * The CAS and scheduler presets' listeners, served by the real NativeLink binary: the public action cache refuses
 * UpdateActionResult with PERMISSION_DENIED, the writers' listener stores it, and both answer GetActionResult.
 * The servers are exactly as the presets render them; only the S3 stores are swapped for memory stores of the same
 * names (the listeners are under test here, not S3).
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  NO_NATIVELINK_BINARY,
  freeLoopbackPorts,
  nativeLinkBinary,
  startNativeLink,
  type NativeLinkProcess,
} from "../../../tools/nativelink/nativelink-process.js";
import { actionResult, exitCodeOf, getActionResult, getCapabilities, updateActionResult } from "../../../tools/nativelink/reapi-client.js";
import { casConfig, renderConfig, schedulerConfig, type NativeLinkConfig } from "../src/index.js";

const PERMISSION_DENIED = 7;
const NOT_FOUND = 5;

/** The preset with every store replaced by a memory store of the same name. */
function inMemory(config: NativeLinkConfig): string {
  return renderConfig({ ...config, stores: config.stores.map((store) => ({ name: store.name, memory: {} })) });
}

function digest(seed: string) {
  return { hash: seed.repeat(64).slice(0, 64), sizeBytes: 142 };
}

describe.skipIf(!nativeLinkBinary())(`reader and writer endpoints on the real binary${nativeLinkBinary() ? "" : ` (skipped: ${NO_NATIVELINK_BINARY})`}`, () => {
  let cas: NativeLinkProcess;
  let scheduler: NativeLinkProcess;
  let ports: { public: number; writers: number; scheduler: number; workerApi: number };

  beforeAll(async () => {
    const [publicPort, writers, schedulerPort, workerApi] = await freeLoopbackPorts(4);
    ports = { public: publicPort!, writers: writers!, scheduler: schedulerPort!, workerApi: workerApi! };
    cas = await startNativeLink({
      config: inMemory(casConfig({ listenAddress: "127.0.0.1", port: ports.public, writerPort: ports.writers })),
      waitForPorts: [ports.public, ports.writers],
    });
    scheduler = await startNativeLink({
      config: inMemory(schedulerConfig({ listenAddress: "127.0.0.1", port: ports.scheduler, workerApiPort: ports.workerApi })),
      waitForPorts: [ports.scheduler],
    });
  });

  afterAll(async () => {
    await cas?.stop();
    await scheduler?.stop();
  });

  test("CAS public listener: UpdateActionResult answers PERMISSION_DENIED and stores nothing", async () => {
    const update = await updateActionResult(ports.public, "main", digest("a"), actionResult(3));
    expect(update).toMatchObject({ status: PERMISSION_DENIED, message: "The store 'main' is read only on this endpoint" });
    expect((await getActionResult(ports.public, "main", digest("a"))).status).toBe(NOT_FOUND);
  });

  test("CAS writers' listener: UpdateActionResult is stored, and the public listener serves it", async () => {
    const update = await updateActionResult(ports.writers, "main", digest("b"), actionResult(42));
    expect(update.status, update.message).toBe(0);
    for (const port of [ports.public, ports.writers]) {
      const read = await getActionResult(port, "main", digest("b"));
      expect(read.status, read.message).toBe(0);
      expect(exitCodeOf(read.body)).toBe(42);
    }
  });

  test("CAS writers' listener answers GetCapabilities (the load balancer's health check)", async () => {
    expect((await getCapabilities(ports.writers, "main")).status).toBe(0);
  });

  test("scheduler public listener: UpdateActionResult answers PERMISSION_DENIED", async () => {
    const update = await updateActionResult(ports.scheduler, "main", digest("c"), actionResult(1));
    expect(update).toMatchObject({ status: PERMISSION_DENIED, message: "The store 'main' is read only on this endpoint" });
  });
});
