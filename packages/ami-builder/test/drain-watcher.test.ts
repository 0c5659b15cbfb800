import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { DrainInstance, WORKER_ROLE, type RunningWatcher } from "./helpers/drain.js";
import { startFakeImds, unreachableEndpoint, type FakeImds, type FakeImdsOptions } from "./helpers/fake-imds.js";

const INSTANCE_ID = "i-0123456789abcdef0";
const GROUP = "ci-workers-x86_64";
const TARGET_STATE = "autoscaling/target-lifecycle-state";
const SPOT_NOTICE = "spot/instance-action";
const REBALANCE = "events/recommendations/rebalance";
const TAGS = { "nativelink:role": "worker", "nativelink:deployment": "ci", "aws:autoscaling:groupName": GROUP };

const STOP = "systemctl stop nativelink.service";
const STOPPED = "(nativelink.service stopped)";
const LIFECYCLE = `--lifecycle-hook-name ci-drain --auto-scaling-group-name ${GROUP} --instance-id ${INSTANCE_ID} --region eu-west-1`;
const COMPLETE = `aws autoscaling complete-lifecycle-action --lifecycle-action-result CONTINUE ${LIFECYCLE}`;
const HEARTBEAT = `aws autoscaling record-lifecycle-action-heartbeat ${LIFECYCLE}`;
const UNHEALTHY =
  `aws autoscaling set-instance-health --instance-id ${INSTANCE_ID} --health-status Unhealthy ` + `--no-should-respect-grace-period --region eu-west-1`;

let imds: FakeImds | undefined;
let instance: DrainInstance | undefined;

afterEach(async () => {
  await instance?.stopWatchers();
  await imds?.close();
  instance?.remove();
  imds = undefined;
  instance = undefined;
});

async function worker(options: FakeImdsOptions = {}, role: readonly string[] = WORKER_ROLE): Promise<{ imds: FakeImds; instance: DrainInstance }> {
  imds = await startFakeImds({ tags: TAGS, ...options, metadata: { "instance-id": INSTANCE_ID, [TARGET_STATE]: "InService", ...options.metadata } });
  instance = new DrainInstance(role);
  return { imds, instance };
}

/** How many times the watcher has read a metadata path. */
function reads(target: FakeImds, path: string): number {
  return target.requests.filter((request) => request.method === "GET" && request.path === `/latest/meta-data/${path}`).length;
}

/** Waits for `polls` more reads of the target lifecycle state: the watcher went round its loop that often. */
async function morePolls(target: FakeImds, watcher: RunningWatcher, polls = 3): Promise<void> {
  const goal = reads(target, TARGET_STATE) + polls;
  await watcher.waitFor(() => reads(target, TARGET_STATE) >= goal, `${polls} more polls`);
}

/** The files under the instance's root outside /run: what a stop into the warm pool keeps (the root EBS volume). */
function filesKeptByAStop(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((path) => path !== "run" && !path.startsWith("run/"))
    .sort();
}

function expectTokenOnEveryRead(target: FakeImds): void {
  const [first, ...rest] = target.requests;
  expect(first).toMatchObject({ method: "PUT", path: "/latest/api/token", ttl: "300" });
  for (const request of rest.filter((candidate) => candidate.method === "GET")) expect(request.token).toBe("fake-imdsv2-token");
}

// Each test runs the watcher for a few polls (0.1 s) and some drain for seconds.
describe("nativelink-drain-watcher, run for real against a fake IMDSv2, systemctl and AWS CLI", { timeout: 30_000 }, () => {
  it("does nothing while the instance is InService", async () => {
    const { imds, instance } = await worker();
    const watcher = instance.startWatcher(imds.endpoint);
    await morePolls(imds, watcher, 5);
    expect(instance.actions()).toEqual([]);
    expect(watcher.running).toBe(true);
    expect(watcher.stderr).toContain("watching instance metadata every 0.1 s (hook ci-drain, region eu-west-1)");
    // Every poll reads the three signals, in this order.
    expect(reads(imds, SPOT_NOTICE)).toBeGreaterThanOrEqual(4);
    expect(reads(imds, REBALANCE)).toBeGreaterThanOrEqual(4);
    expectTokenOnEveryRead(imds);
  });

  it.each([
    ["Terminated (scale-in, instance refresh, …)", "Terminated", "the group terminates the instance"],
    [
      "Warmed:Stopped after InService (scale-in into a reusing warm pool)",
      "Warmed:Stopped",
      "the group returns the instance to the warm pool (Warmed:Stopped)",
    ],
  ])("on a target lifecycle state of %s, stops NativeLink, then completes the lifecycle action", async (_, target, next) => {
    const { imds, instance } = await worker();
    const watcher = instance.startWatcher(imds.endpoint);
    await morePolls(imds, watcher);
    imds.setMetadata(TARGET_STATE, target);
    await watcher.waitFor(() => watcher.stderr.includes("completed the lifecycle action"), "the lifecycle action to be completed");
    expect(instance.actions()).toEqual([STOP, STOPPED, COMPLETE]);
    expect(watcher.stderr).toContain(`nativelink-drain-watcher: draining (target lifecycle state ${target}) with `);
    expect(watcher.stderr).toContain(`nativelink-drain-worker: draining (target lifecycle state ${target}): asking the scheduler for no new actions`);
    // No registration in NativeLink's log (here: none at all): nothing to ask the scheduler.
    expect(watcher.stderr).toContain("no worker id in NativeLink's log: the worker has not registered with the scheduler");
    expect(watcher.stderr).toMatch(/nativelink-drain-worker: nativelink\.service stopped after \d+ s \(systemctl exit 0\)/);
    expect(watcher.stderr).toMatch(/nativelink-drain-watcher: drained and stopped nativelink\.service after \d+ s/);
    expect(watcher.stderr).toContain(`completed the lifecycle action (CONTINUE) of hook ci-drain for ${INSTANCE_ID} in ${GROUP}: ${next}`);
    expect(readFileSync(join(instance.root, "run/nativelink-drain/done"), "utf8")).toBe("completed\n");
    expectTokenOnEveryRead(imds);
  });

  it("records lifecycle heartbeats while a worker returning to the warm pool finishes its actions", async () => {
    const { imds, instance } = await worker();
    instance.runActionFor(3.5);
    const watcher = instance.startWatcher(imds.endpoint, { DRAIN_HEARTBEAT_SECONDS: "1" });
    await morePolls(imds, watcher);
    imds.setMetadata(TARGET_STATE, "Warmed:Stopped");
    await watcher.waitFor(() => watcher.stderr.includes("completed the lifecycle action"), "the lifecycle action to be completed", 20_000);
    const actions = instance.actions();
    expect(actions.slice(0, actions.indexOf(STOP)).filter((action) => action === HEARTBEAT).length).toBeGreaterThanOrEqual(2);
    expect(actions.at(-1)).toBe(COMPLETE);
  });

  it("does nothing on an instance launched into the warm pool (Warmed:Stopped from boot, never InService): it runs no worker", async () => {
    const { imds, instance } = await worker({ metadata: { [TARGET_STATE]: "Warmed:Stopped" } });
    const watcher = instance.startWatcher(imds.endpoint);
    await morePolls(imds, watcher, 5);
    expect(instance.actions()).toEqual([]);
    expect(watcher.running).toBe(true);
  });

  it("after a stop into the warm pool, the next boot serves and drains again: no drain state outlives the stop", async () => {
    const { imds, instance } = await worker();
    const before = filesKeptByAStop(instance.root);
    const first = instance.startWatcher(imds.endpoint);
    await morePolls(imds, first);
    imds.setMetadata(TARGET_STATE, "Warmed:Stopped");
    await first.waitFor(() => first.stderr.includes("completed the lifecycle action"), "the return to the pool to be completed");
    await first.stop();
    // The drain wrote nothing that the root EBS volume keeps through the stop; the stop empties /run (tmpfs).
    expect(filesKeptByAStop(instance.root)).toEqual(before);
    rmSync(join(instance.root, "run"), { recursive: true });
    // Started from the pool: a new boot, NativeLink running again (the bootstrap), the target InService.
    instance.writeState("nativelink-active", "");
    imds.setMetadata(TARGET_STATE, "InService");
    const next = instance.startWatcher(imds.endpoint);
    await morePolls(imds, next);
    expect(next.stderr).toContain("watching instance metadata every 0.1 s");
    expect(next.stderr).not.toContain("already");
    expect(instance.actions()).toEqual([STOP, STOPPED, COMPLETE]);
    imds.setMetadata(TARGET_STATE, "Warmed:Stopped");
    await next.waitFor(() => next.stderr.includes("completed the lifecycle action"), "the second return to be completed");
    expect(instance.actions()).toEqual([STOP, STOPPED, COMPLETE, STOP, STOPPED, COMPLETE]);
  });

  it.each([
    ["a Spot interruption notice", SPOT_NOTICE, '{"action": "terminate", "time": "2026-11-26T13:30:00Z"}'],
    ["a rebalance recommendation", REBALANCE, '{"noticeTime": "2026-11-26T13:20:00Z"}'],
  ])("on %s, stops NativeLink; completes a lifecycle action only once the group moves the instance to Terminated", async (_, path, notice) => {
    const { imds, instance } = await worker();
    const watcher = instance.startWatcher(imds.endpoint);
    await morePolls(imds, watcher);
    imds.setMetadata(path, notice);
    await watcher.waitFor(() => instance.actions().includes(STOPPED), "NativeLink to stop");
    await morePolls(imds, watcher);
    // InService: no lifecycle action exists, there is nothing to complete (EC2 reclaims a Spot instance anyway).
    expect(instance.actions()).toEqual([STOP, STOPPED]);
    expect(watcher.stderr).toContain(`draining (${path === SPOT_NOTICE ? "Spot interruption notice" : "rebalance recommendation"} ${notice})`);
    expect(watcher.stderr).toContain("no termination lifecycle action yet (target state: InService)");
    // Capacity rebalancing (or the interruption) makes the group terminate the instance: its hook's action is completed.
    imds.setMetadata(TARGET_STATE, "Terminated");
    await watcher.waitFor(() => watcher.stderr.includes("completed the lifecycle action"), "the lifecycle action to be completed");
    expect(instance.actions()).toEqual([STOP, STOPPED, COMPLETE]);
  });

  it("a worker drained for a rebalance recommendation that the group does not terminate marks itself Unhealthy, once", async () => {
    const { imds, instance } = await worker({ metadata: { [REBALANCE]: '{"noticeTime": "2026-11-26T13:20:00Z"}' } });
    instance.writeState("aws-error-set-instance-health", "An error occurred (Throttling): Rate exceeded");
    const watcher = instance.startWatcher(imds.endpoint, { DRAIN_REPLACE_AFTER_SECONDS: "0" });
    await watcher.waitFor(() => watcher.stderr.includes("set-instance-health failed"), "a failed request");
    // A failed call is retried on the next polls; once it succeeds, it is not repeated.
    rmSync(join(instance.state, "aws-error-set-instance-health"));
    await watcher.waitFor(() => watcher.stderr.includes(`marked ${INSTANCE_ID} Unhealthy`), "the replacement request");
    await morePolls(imds, watcher, 5);
    const calls = instance.actions();
    expect(calls.slice(0, 2)).toEqual([STOP, STOPPED]);
    expect(calls.slice(2).every((call) => call === UNHEALTHY)).toBe(true);
    expect(calls.filter((call) => call === UNHEALTHY).length).toBeGreaterThanOrEqual(2);
    expect(watcher.stderr.match(/marked .* Unhealthy/g)).toHaveLength(1);
    expect(watcher.stderr).toContain("so its group replaces it (the termination passes through hook ci-drain)");
    // The replacement terminates this instance through the hook: its action is completed as for any termination.
    imds.setMetadata(TARGET_STATE, "Terminated");
    await watcher.waitFor(() => watcher.stderr.includes("completed the lifecycle action"), "the lifecycle action to be completed");
    expect(instance.actions().at(-1)).toBe(COMPLETE);
  });

  it("waits DRAIN_REPLACE_AFTER_SECONDS after the drain before asking for a replacement, and rejects a bad value", async () => {
    const { imds, instance } = await worker({ metadata: { [REBALANCE]: '{"noticeTime": "2026-11-26T13:20:00Z"}' } });
    const watcher = instance.startWatcher(imds.endpoint, { DRAIN_REPLACE_AFTER_SECONDS: "2" });
    await watcher.waitFor(() => instance.actions().includes(STOPPED), "NativeLink to stop");
    await morePolls(imds, watcher, 3);
    expect(instance.actions()).toEqual([STOP, STOPPED]);
    await watcher.waitFor(() => instance.actions().includes(UNHEALTHY), "the replacement request after 2 s");
    for (const value of ["soon", "08", "-1"]) {
      const bad = new DrainInstance(WORKER_ROLE);
      try {
        const refused = bad.startWatcher(imds.endpoint, { DRAIN_REPLACE_AFTER_SECONDS: value });
        expect(await refused.exit()).toBe(1);
        expect(refused.stderr).toContain(`DRAIN_REPLACE_AFTER_SECONDS=${value} is not a whole number of seconds`);
      } finally {
        bad.remove();
      }
    }
  });

  it.each([
    ["a Spot notice (EC2 reclaims the instance anyway)", SPOT_NOTICE, '{"action": "terminate", "time": "2026-11-26T13:30:00Z"}', "InService"],
    ["a rebalance recommendation, the instance in Standby", REBALANCE, '{"noticeTime": "2026-11-26T13:20:00Z"}', "Standby"],
    ["a rebalance recommendation, the instance Detached", REBALANCE, '{"noticeTime": "2026-11-26T13:20:00Z"}', "Detached"],
  ])("asks for no replacement after %s", async (_, path, notice, state) => {
    const { imds, instance } = await worker({ metadata: { [path]: notice, [TARGET_STATE]: state } });
    const watcher = instance.startWatcher(imds.endpoint, { DRAIN_REPLACE_AFTER_SECONDS: "0" });
    await watcher.waitFor(() => instance.actions().includes(STOPPED), "NativeLink to stop");
    await morePolls(imds, watcher, 5);
    expect(instance.actions()).toEqual([STOP, STOPPED]);
  });

  it("gives up asking for a replacement after DRAIN_COMPLETE_ATTEMPTS failures (e.g. a role without SetInstanceHealth)", async () => {
    const { imds, instance } = await worker({ metadata: { [REBALANCE]: '{"noticeTime": "2026-11-26T13:20:00Z"}' } });
    instance.writeState("aws-error-set-instance-health", "An error occurred (AccessDenied): not authorized to perform autoscaling:SetInstanceHealth");
    const watcher = instance.startWatcher(imds.endpoint, { DRAIN_REPLACE_AFTER_SECONDS: "0", DRAIN_COMPLETE_ATTEMPTS: "3" });
    await watcher.waitFor(() => watcher.stderr.includes("gave up marking"), "the watcher to give up");
    await morePolls(imds, watcher, 5);
    expect(instance.actions().filter((call) => call === UNHEALTHY)).toHaveLength(3);
    expect(watcher.stderr).toContain(`error: gave up marking ${INSTANCE_ID} Unhealthy after 3 attempts (needs autoscaling:SetInstanceHealth on its group)`);
    // A termination still gets its lifecycle action completed.
    imds.setMetadata(TARGET_STATE, "Terminated");
    await watcher.waitFor(() => watcher.stderr.includes("completed the lifecycle action"), "the lifecycle action to be completed");
  });

  it("drains once: later triggers, and a restarted watcher, do nothing more", async () => {
    const { imds, instance } = await worker({ metadata: { [TARGET_STATE]: "Terminated" } });
    const watcher = instance.startWatcher(imds.endpoint);
    await watcher.waitFor(() => watcher.stderr.includes("completed the lifecycle action"), "the lifecycle action to be completed");
    imds.setMetadata(SPOT_NOTICE, '{"action": "terminate", "time": "2026-11-26T13:30:00Z"}');
    imds.setMetadata(REBALANCE, '{"noticeTime": "2026-11-26T13:20:00Z"}');
    await sleep(600);
    // systemd restarts the watcher (Restart=always): its state in /run says it already drained.
    const restarted = instance.startWatcher(imds.endpoint);
    await restarted.waitFor(() => restarted.stderr.includes("already drained during this boot (completed): nothing more to do"), "the restarted watcher");
    await sleep(600);
    expect(instance.actions()).toEqual([STOP, STOPPED, COMPLETE]);
    expect(watcher.running && restarted.running).toBe(true);
  });

  it("a watcher restarted after a Spot drain does not stop NativeLink again, and completes a later lifecycle action", async () => {
    const { imds, instance } = await worker({ metadata: { [SPOT_NOTICE]: '{"action": "terminate", "time": "2026-11-26T13:30:00Z"}' } });
    const first = instance.startWatcher(imds.endpoint);
    await first.waitFor(() => first.stderr.includes("no termination lifecycle action yet"), "NativeLink to stop");
    await first.stop();
    const restarted = instance.startWatcher(imds.endpoint);
    await restarted.waitFor(() => restarted.stderr.includes("NativeLink already stopped during this boot (Spot interruption notice"), "the restarted watcher");
    await morePolls(imds, restarted);
    imds.setMetadata(TARGET_STATE, "Terminated");
    await restarted.waitFor(() => restarted.stderr.includes("completed the lifecycle action"), "the lifecycle action to be completed");
    expect(instance.actions()).toEqual([STOP, STOPPED, COMPLETE]);
  });

  it("stops a NativeLink that is already stopped without complaint (systemctl stop is idempotent), then completes", async () => {
    const { imds, instance } = await worker({ metadata: { [TARGET_STATE]: "Terminated" } });
    rmSync(join(instance.state, "nativelink-active"));
    const watcher = instance.startWatcher(imds.endpoint);
    await watcher.waitFor(() => watcher.stderr.includes("completed the lifecycle action"), "the lifecycle action to be completed");
    expect(watcher.stderr).toContain("draining (target lifecycle state Terminated): nativelink.service is not running");
    expect(instance.actions()).toEqual([STOP, STOPPED, COMPLETE]);
  });

  it("keeps polling, logging once, while the metadata service refuses tokens; drains when it answers again", async () => {
    const { imds, instance } = await worker({ refuseTokens: true, metadata: { [TARGET_STATE]: "Terminated" } });
    const watcher = instance.startWatcher(imds.endpoint);
    await watcher.waitFor(() => imds.requests.filter((request) => request.method === "PUT").length >= 5, "5 token requests");
    expect(imds.requests.filter((request) => request.method === "GET")).toEqual([]);
    expect(instance.actions()).toEqual([]);
    expect(watcher.running).toBe(true);
    const warning =
      `warning: instance metadata at ${imds.endpoint} refused an IMDSv2 token (HTTP 403): ` + `check the launch template's metadata options; polling again`;
    expect(watcher.stderr.split(warning)).toHaveLength(2);
    imds.setRefuseTokens(false);
    await watcher.waitFor(() => watcher.stderr.includes("completed the lifecycle action"), "the lifecycle action to be completed");
    expect(watcher.stderr).toContain("instance metadata answers again");
  });

  it("keeps polling, without draining, while the metadata service is unreachable", async () => {
    instance = new DrainInstance();
    const endpoint = await unreachableEndpoint();
    const watcher = instance.startWatcher(endpoint);
    await watcher.waitFor(() => watcher.stderr.includes(`warning: instance metadata unreachable at ${endpoint}`), "the warning");
    await sleep(800);
    expect(watcher.running).toBe(true);
    expect(instance.actions()).toEqual([]);
    expect(watcher.stderr.split("unreachable")).toHaveLength(2);
  });

  it.each([
    [
      "no NATIVELINK_LIFECYCLE_HOOK",
      WORKER_ROLE.filter((line) => !line.startsWith("NATIVELINK_LIFECYCLE_HOOK")),
      /role\.env has no NATIVELINK_LIFECYCLE_HOOK: the termination lifecycle hook to complete/,
    ],
    ["no NATIVELINK_REGION", WORKER_ROLE.filter((line) => !line.startsWith("NATIVELINK_REGION")), /role\.env has no NATIVELINK_REGION/],
    [
      "no NATIVELINK_ADMIN_URL",
      WORKER_ROLE.filter((line) => !line.startsWith("NATIVELINK_ADMIN_URL")),
      /role\.env has no NATIVELINK_ADMIN_URL: the scheduler's admin API/,
    ],
    ["no NATIVELINK_SCHEDULER_NAME", WORKER_ROLE.filter((line) => !line.startsWith("NATIVELINK_SCHEDULER_NAME")), /role\.env has no NATIVELINK_SCHEDULER_NAME/],
    [
      "no NATIVELINK_WORK_DIRECTORY",
      WORKER_ROLE.filter((line) => !line.startsWith("NATIVELINK_WORK_DIRECTORY")),
      /role\.env has no NATIVELINK_WORK_DIRECTORY: the worker's work_directory/,
    ],
    ["another role", ["NATIVELINK_ROLE=cas", ...WORKER_ROLE.slice(1)], /NATIVELINK_ROLE=cas: only workers drain/],
    ["a line that is not KEY=value", [...WORKER_ROLE, "just words"], /cannot parse 'just words'/],
  ])("stops at start, saying what is missing, on %s in role.env", async (_, role, message) => {
    const { imds, instance } = await worker({}, role);
    const watcher = instance.startWatcher(imds.endpoint);
    expect(await watcher.exit()).toBe(1);
    expect(watcher.stderr).toMatch(message);
    expect(imds.requests).toEqual([]);
    expect(instance.actions()).toEqual([]);
  });

  it.each([
    ["role.env is missing", {}, /role\.env is missing: user data writes it/],
    ["the poll interval is not a number", { DRAIN_POLL_SECONDS: "soon" }, /DRAIN_POLL_SECONDS=soon is not a positive number/],
    ["the poll interval is zero", { DRAIN_POLL_SECONDS: "0.0" }, /DRAIN_POLL_SECONDS=0\.0 is not a positive number/],
    ["the heartbeat interval is not whole", { DRAIN_HEARTBEAT_SECONDS: "1.5" }, /DRAIN_HEARTBEAT_SECONDS=1\.5 is not a positive whole number/],
  ])("stops at start when %s", async (name, env, message) => {
    const { imds, instance } = await worker();
    if (name === "role.env is missing") rmSync(join(instance.root, "etc/nativelink/role.env"));
    const watcher = instance.startWatcher(imds.endpoint, env);
    expect(await watcher.exit()).toBe(1);
    expect(watcher.stderr).toMatch(message);
  });

  it("stops at start when the AWS CLI is not installed", async () => {
    const { imds, instance } = await worker();
    const bashOnly = join(instance.directory, "bash-only");
    mkdirSync(bashOnly);
    symlinkSync(execFileSync("bash", ["-c", "command -v bash"], { encoding: "utf8" }).trim(), join(bashOnly, "bash"));
    const watcher = instance.startWatcher(imds.endpoint, { PATH: bashOnly });
    expect(await watcher.exit()).toBe(1);
    expect(watcher.stderr).toMatch(/error: aws is not on PATH \(the image installs the AWS CLI at \/usr\/local\/bin\/aws\)/);
  });

  it("records lifecycle heartbeats while the worker's actions run, then stops NativeLink and completes", async () => {
    const { imds, instance } = await worker({ metadata: { [TARGET_STATE]: "Terminated" } });
    instance.runActionFor(3.5);
    const watcher = instance.startWatcher(imds.endpoint, { DRAIN_HEARTBEAT_SECONDS: "1" });
    await watcher.waitFor(() => watcher.stderr.includes("completed the lifecycle action"), "the lifecycle action to be completed", 20_000);
    const actions = instance.actions();
    // Heartbeats while the action runs (one may race with the stop), then the stop, then the completion.
    expect(actions.slice(0, actions.indexOf(STOP)).filter((action) => action === HEARTBEAT).length).toBeGreaterThanOrEqual(2);
    expect(actions.slice(0, -1).every((action) => action === HEARTBEAT || action === STOP || action === STOPPED)).toBe(true);
    expect(actions.at(-1)).toBe(COMPLETE);
    expect(watcher.stderr).toContain("the worker still runs actions (child processes: 1, action directories: 0)");
    expect(watcher.stderr).toMatch(/recorded a lifecycle heartbeat: NativeLink still draining after \d+ s/);
  });

  it("records no heartbeat while draining for a Spot notice without a lifecycle action", async () => {
    const { imds, instance } = await worker({ metadata: { [SPOT_NOTICE]: '{"action": "terminate", "time": "2026-11-26T13:30:00Z"}' } });
    instance.runActionFor(2.5);
    const watcher = instance.startWatcher(imds.endpoint, { DRAIN_HEARTBEAT_SECONDS: "1" });
    await watcher.waitFor(() => instance.actions().includes(STOPPED), "NativeLink to stop", 20_000);
    expect(instance.actions()).toEqual([STOP, STOPPED]);
  });

  it("finds the group through describe-auto-scaling-instances when instance metadata has no aws:autoscaling:groupName", async () => {
    const { imds, instance } = await worker({ tags: { "nativelink:role": "worker" }, metadata: { [TARGET_STATE]: "Terminated" } });
    instance.writeState("asg-name", `${GROUP}\n`);
    const watcher = instance.startWatcher(imds.endpoint);
    await watcher.waitFor(() => watcher.stderr.includes("completed the lifecycle action"), "the lifecycle action to be completed");
    expect(instance.actions()).toEqual([
      STOP,
      STOPPED,
      `aws autoscaling describe-auto-scaling-instances --instance-ids ${INSTANCE_ID} ` +
        `--region eu-west-1 --query AutoScalingInstances[0].AutoScalingGroupName --output text`,
      COMPLETE,
    ]);
    expect(watcher.stderr).toContain(`Auto Scaling group ${GROUP} (from describe-auto-scaling-instances`);
  });

  it("says what is missing when it cannot find the group, and gives up after DRAIN_COMPLETE_ATTEMPTS", async () => {
    const { imds, instance } = await worker({ tags: undefined, metadata: { [TARGET_STATE]: "Terminated" } });
    const watcher = instance.startWatcher(imds.endpoint, { DRAIN_COMPLETE_ATTEMPTS: "3" });
    await watcher.waitFor(() => watcher.stderr.includes("gave up completing the lifecycle action"), "the watcher to give up");
    expect(readFileSync(join(instance.root, "run/nativelink-drain/done"), "utf8")).toBe("gave up\n");
    expect(watcher.stderr).toContain("no tag aws:autoscaling:groupName in instance metadata (enable instance_metadata_tags)");
    expect(watcher.stderr).toContain("needs autoscaling:DescribeAutoScalingInstances");
    expect(watcher.stderr).toContain("gave up completing the lifecycle action after 3 attempts");
    expect(instance.actions().filter((action) => action.includes("complete-lifecycle-action"))).toEqual([]);
    expect(instance.actions().filter((action) => action === STOP)).toHaveLength(1);
  });

  it("logs a failed completion with the AWS CLI's message and tries again on the next poll", async () => {
    const { imds, instance } = await worker({ metadata: { [TARGET_STATE]: "Terminated" } });
    const error = "An error occurred (AccessDenied) when calling the CompleteLifecycleAction operation: not authorized";
    instance.writeState("aws-error-complete-lifecycle-action", error);
    const watcher = instance.startWatcher(imds.endpoint);
    await watcher.waitFor(() => watcher.stderr.includes(error), "the error to be logged");
    expect(watcher.stderr).toContain(
      `error: aws autoscaling complete-lifecycle-action failed (hook ci-drain, group ${GROUP}, instance ${INSTANCE_ID}, region eu-west-1): ${error}`,
    );
    rmSync(join(instance.state, "aws-error-complete-lifecycle-action"));
    await watcher.waitFor(() => watcher.stderr.includes("completed the lifecycle action"), "the lifecycle action to be completed");
    const actions = instance.actions();
    expect(actions.slice(0, 2)).toEqual([STOP, STOPPED]);
    expect(actions.slice(2).every((action) => action === COMPLETE)).toBe(true);
  });

  it("tries the stop again when systemctl fails and NativeLink still runs", async () => {
    const { imds, instance } = await worker({ metadata: { [TARGET_STATE]: "Terminated" } });
    instance.writeState("stop-fails", "");
    const watcher = instance.startWatcher(imds.endpoint);
    await watcher.waitFor(() => watcher.stderr.includes("the drain ended with exit 1 and nativelink.service still runs; trying again"), "the error");
    expect(watcher.stderr).toContain("nativelink-drain-worker: error: systemctl stop nativelink.service failed (exit 1) and it still runs");
    rmSync(join(instance.state, "stop-fails"));
    await watcher.waitFor(() => watcher.stderr.includes("completed the lifecycle action"), "the lifecycle action to be completed");
    const actions = instance.actions();
    expect(actions.filter((action) => action === STOP).length).toBeGreaterThanOrEqual(2);
    expect(actions.slice(-2)).toEqual([STOPPED, COMPLETE]);
  });
});
