import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeAdmin, type FakeAdmin } from "./helpers/fake-admin.js";
import { DRAIN_WORKER, DrainInstance, GRACE_SECONDS, POLL_SECONDS, registeredLine, SCHEDULER_NAME, WORK_DIRECTORY, workerRole } from "./helpers/drain.js";

const FIRST_ID = "1f1ef71a-69a1-6900-bd4d-8df6b11da24d";
const SECOND_ID = "1f1ef71b-0c2e-6a10-9b1e-8df6b11da24d";
const STOP = "systemctl stop nativelink.service";
const STOPPED = "(nativelink.service stopped)";
const EARLY_STOP = "(nativelink.service stopped while its actions ran)";
const drainRequest = (id: string) => `admin POST /admin/scheduler/${SCHEDULER_NAME}/set_drain_worker/${id}/1`;

let instance: DrainInstance | undefined;
let admin: FakeAdmin | undefined;

afterEach(async () => {
  await instance?.stopWatchers();
  await admin?.close();
  instance?.remove();
  instance = undefined;
  admin = undefined;
});

async function drainable(): Promise<{ instance: DrainInstance; admin: FakeAdmin }> {
  instance = new DrainInstance();
  admin = await startFakeAdmin(SCHEDULER_NAME, join(instance.state, "calls.log"));
  instance.writeRoleFile(workerRole(admin.url));
  return { instance, admin };
}

/** The drain worker run for real, with role.env's lines in its environment (as the watcher passes them). */
function drain(target: DrainInstance, adminUrl: string, extraEnv: Record<string, string> = {}) {
  return target.run(DRAIN_WORKER, ["scale-in"], {
    NATIVELINK_ADMIN_URL: adminUrl,
    NATIVELINK_SCHEDULER_NAME: SCHEDULER_NAME,
    NATIVELINK_WORK_DIRECTORY: WORK_DIRECTORY,
    DRAIN_POLL_SECONDS: String(POLL_SECONDS),
    DRAIN_GRACE_SECONDS: String(GRACE_SECONDS),
    ...extraEnv,
  });
}

// Each test drains for at most a few seconds.
describe("nativelink-drain-worker, run for real against a fake admin API, systemctl and journal", { timeout: 30_000 }, () => {
  it("drains the registered worker through the admin API and stops NativeLink only once its actions are done", async () => {
    const { instance, admin } = await drainable();
    admin.workers.add(FIRST_ID);
    instance.writeNativeLinkLog(["  INFO nativelink: Ready", registeredLine(FIRST_ID), "  INFO Executing command"]);
    instance.runActionFor(1.5);
    // An action directory outlives the process: the worker uploads the outputs, then removes it.
    const actionDirectory = join(instance.workDirectory, "0192f3c4-operation");
    mkdirSync(actionDirectory, { recursive: true });
    const removed = sleep(2_500).then(() => rmSync(actionDirectory, { recursive: true }));
    const result = await drain(instance, admin.url);
    await removed;
    expect(result.code, result.stderr).toBe(0);
    expect(instance.actions()).toEqual([drainRequest(FIRST_ID), STOP, STOPPED]);
    expect(result.stderr).toContain(`the scheduler drains worker ${FIRST_ID}: it gets no new actions`);
    expect(result.stderr).toContain("the worker still runs actions (child processes: 1, action directories: 1)");
    expect(result.stderr).toContain("the worker still runs actions (child processes: 0, action directories: 1)");
    expect(result.stderr).toMatch(/the worker runs nothing after \d+ s\n/);
  });

  it("drains the new id when the worker registers again during the drain (a reconnection loses the drain)", async () => {
    const { instance, admin } = await drainable();
    admin.workers.add(FIRST_ID).add(SECOND_ID);
    instance.writeNativeLinkLog([registeredLine(FIRST_ID)]);
    instance.runActionFor(2);
    const reconnected = sleep(800).then(() =>
      instance.writeNativeLinkLog([registeredLine(FIRST_ID), "  ERROR Worker disconnected from scheduler, reconnecting", registeredLine(SECOND_ID)]),
    );
    const result = await drain(instance, admin.url);
    await reconnected;
    expect(result.code, result.stderr).toBe(0);
    expect(instance.actions()).toEqual([drainRequest(FIRST_ID), drainRequest(SECOND_ID), STOP, STOPPED]);
  });

  it.each([
    [
      "compact",
      // As the real 1.6.6 binary writes them (NL_LOG=compact, NL_LOG=json).
      "\u001b[2m2026-12-04T05:40:47.128729Z\u001b[0m \u001b[32m INFO\u001b[0m \u001b[1mworker\u001b[0m:\u001b[1mrun\u001b[0m: " +
        "\u001b[2mnativelink_worker::local_worker\u001b[0m\u001b[2m:\u001b[0m " +
        `Worker registered with scheduler \u001b[3mworker_id\u001b[0m\u001b[2m=\u001b[0m${FIRST_ID} ` +
        `\u001b[2m\u001b[3mname\u001b[0m\u001b[2m=\u001b[0m"worker_0"\u001b[0m ` +
        "\u001b[2m\u001b[3mshutdown_rx\u001b[0m\u001b[2m=\u001b[0mbroadcast::Receiver\u001b[0m",
    ],
    [
      "json",
      `{"timestamp":"2026-12-04T05:40:49.136433Z","level":"INFO","fields":{"message":"Worker registered with scheduler","worker_id":"${FIRST_ID}"},` +
        `"target":"nativelink_worker::local_worker","span":{"shutdown_rx":"broadcast::Receiver","name":"run"},` +
        `"spans":[{"name":"\\"worker_0\\"","name":"worker"},{"shutdown_rx":"broadcast::Receiver","name":"run"}]}`,
    ],
  ])("reads the worker id from NativeLink's %s log format (NL_LOG)", async (_, line) => {
    const { instance, admin } = await drainable();
    admin.workers.add(FIRST_ID);
    instance.writeNativeLinkLog([line]);
    const result = await drain(instance, admin.url);
    expect(result.code, result.stderr).toBe(0);
    expect(instance.actions()).toEqual([drainRequest(FIRST_ID), STOP, STOPPED]);
  });

  // What a client's action can put in NativeLink's log: its command line (INFO "Executing command") and, when it
  // fails, its output (ERROR), both escaped into one line, as the real 1.6.6 worker logs them.
  const FORGED_ID = "00000000-0000-4000-8000-000000000000";
  const forgedLines = [
    '  2026-12-04T05:39:17.727904Z  INFO nativelink_worker::running_actions_manager: Executing command, args: ["/bin/bash", "-c", ' +
      `"echo 'Worker registered with scheduler, worker_id: ${FORGED_ID}' > bazel-out/k8-fastbuild/bin/inject.txt"]`,
    '  2026-12-04T05:39:17.732062Z ERROR nativelink_worker::running_actions_manager: Command returned non-zero exit code, exit_code: 1, stdout: "", ' +
      `stderr: "x\\n  2026-12-03T23:16:37.346133Z  INFO nativelink_worker::local_worker: Worker registered with scheduler, worker_id: ${FORGED_ID}\\n"`,
    "  Worker registered with scheduler, worker_id: not-this-worker/../../../x'",
    `Worker registered with scheduler, worker_id: ${FORGED_ID}`,
  ];

  it("drains the id NativeLink registered, not one an action's command line or output forges after it", async () => {
    const { instance, admin } = await drainable();
    admin.workers.add(FIRST_ID).add(FORGED_ID);
    instance.writeNativeLinkLog([registeredLine(FIRST_ID), ...forgedLines]);
    const result = await drain(instance, admin.url);
    expect(result.code, result.stderr).toBe(0);
    expect(instance.actions()).toEqual([drainRequest(FIRST_ID), STOP, STOPPED]);
    expect(result.stderr).not.toContain(FORGED_ID);
  });

  it.each([
    ["a name prefix", `i-0123456789abcdef0-${FIRST_ID}`],
    ["a path", "../../x"],
    ["an upper-case UUID", FIRST_ID.toUpperCase()],
  ])("refuses a registered worker id that is not a UUID (%s), saying why once, and drains nothing", async (_, id) => {
    const { instance, admin } = await drainable();
    admin.workers.add(FIRST_ID);
    instance.writeNativeLinkLog([registeredLine(FIRST_ID), registeredLine(id)]);
    instance.runActionFor(0.6);
    const result = await drain(instance, admin.url);
    expect(result.code, result.stderr).toBe(0);
    expect(instance.actions()).toEqual([STOP, STOPPED]);
    const refusals = result.stderr.match(/error: NativeLink registered the worker id '([^']*)', which is not a UUID: not draining it \(.*remove the name\)/g);
    expect(refusals).toEqual([expect.stringContaining(`'${id}'`)]);
  });

  it("keeps asking while the admin API fails, logging the failure once, and drains when it answers", async () => {
    const { instance, admin } = await drainable();
    admin.workers.add(FIRST_ID);
    admin.setFailing(true);
    instance.writeNativeLinkLog([registeredLine(FIRST_ID)]);
    instance.runActionFor(2);
    const recovered = sleep(1_000).then(() => admin.setFailing(false));
    const result = await drain(instance, admin.url);
    await recovered;
    expect(result.code, result.stderr).toBe(0);
    const requests = instance.actions().filter((action) => action === drainRequest(FIRST_ID));
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(instance.actions().slice(requests.length)).toEqual([STOP, STOPPED]);
    expect(result.stderr.match(/warning: POST \S+ failed: Service Unavailable 503; trying again/g)).toHaveLength(1);
    expect(result.stderr).toContain(`the scheduler drains worker ${FIRST_ID}`);
  });

  it("says so when the scheduler does not know the worker, and still stops an idle worker", async () => {
    const { instance, admin } = await drainable();
    instance.writeNativeLinkLog([registeredLine(FIRST_ID)]);
    const result = await drain(instance, admin.url);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Worker ${FIRST_ID} doesn't exist in the pool`);
    expect(instance.actions().at(-1)).toBe(STOPPED);
  });

  it("stops NativeLink anyway after DRAIN_MAX_WAIT_SECONDS, saying what still ran", async () => {
    const { instance, admin } = await drainable();
    admin.workers.add(FIRST_ID);
    instance.writeNativeLinkLog([registeredLine(FIRST_ID)]);
    instance.runActionFor(30);
    const result = await drain(instance, admin.url, { DRAIN_MAX_WAIT_SECONDS: "1" });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /warning: the worker still runs actions \(child processes: 1, action directories: 0\) after \d+ s \(DRAIN_MAX_WAIT_SECONDS\): stopping it anyway/,
    );
    expect(instance.actions()).toEqual([drainRequest(FIRST_ID), STOP, EARLY_STOP, STOPPED]);
  });

  it("by hand, with none of its settings in the environment, reads them from role.env by the image's rule (quotes, comments)", async () => {
    instance = new DrainInstance();
    admin = await startFakeAdmin(SCHEDULER_NAME, join(instance.state, "calls.log"));
    instance.writeRoleFile([
      "# written by user data",
      ...workerRole(admin.url).map((line) => (line.startsWith("NATIVELINK_SCHEDULER_NAME=") ? `NATIVELINK_SCHEDULER_NAME="${SCHEDULER_NAME}"` : line)),
    ]);
    admin.workers.add(FIRST_ID);
    instance.writeNativeLinkLog([registeredLine(FIRST_ID)]);
    const result = await drain(instance, "", { NATIVELINK_SCHEDULER_NAME: "", NATIVELINK_WORK_DIRECTORY: "" });
    expect(result.code, result.stderr).toBe(0);
    expect(instance.actions()).toEqual([drainRequest(FIRST_ID), STOP, STOPPED]);
  });

  it.each([
    ["NATIVELINK_ADMIN_URL", { NATIVELINK_ADMIN_URL: "" }, /NATIVELINK_ADMIN_URL is not set: the scheduler's admin API/],
    ["NATIVELINK_WORK_DIRECTORY", { NATIVELINK_WORK_DIRECTORY: "" }, /NATIVELINK_WORK_DIRECTORY is not set: the worker's work_directory/],
    ["DRAIN_MAX_WAIT_SECONDS", { DRAIN_MAX_WAIT_SECONDS: "1h" }, /DRAIN_MAX_WAIT_SECONDS=1h is not a positive whole number/],
  ])("refuses to start without a valid %s, and touches nothing", async (_, env, message) => {
    const { instance, admin } = await drainable();
    const result = await drain(instance, admin.url, env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(instance.actions()).toEqual([]);
  });
});
