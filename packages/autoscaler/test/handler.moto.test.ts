// The real handler against moto's server (CloudWatch and Auto Scaling over real HTTP), reading a feed served by a
// local HTTP server on 127.0.0.1.
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { describe, expect, it } from "vitest";
import { createAwsClients } from "../src/handler/aws.js";
import { loadConfig } from "../src/handler/config.js";
import { createHandler } from "../src/handler/handler.js";
import type { LogEntry } from "@nativelink-aws/conventions/lambda-handler";
import { collectorPage } from "./support/feed-server.js";
import { motoTestFile } from "./support/moto-file.js";
import { createWorkerGroups, x86Config, type WorkerGroups } from "./support/worker-groups.js";

const { endpoint, feed } = motoTestFile();

/** A handler on a fake clock that each sleep advances; `afterSleep` then runs, e.g. to change what the feed answers. */
function clockedHandler(config: ReturnType<typeof x86Config>, afterSleep: () => void = () => {}) {
  const clock = { now: Date.now() };
  const handler = createHandler({
    config,
    clients: createAwsClients(),
    log: () => {},
    now: () => clock.now,
    sleep: async (milliseconds) => {
      clock.now += milliseconds;
      afterSleep();
    },
  });
  return { handler, clock };
}

function harness(groups: WorkerGroups, environment: Record<string, string> = {}, clients = createAwsClients(), now = Date.now) {
  const logs: LogEntry[] = [];
  const config = loadConfig({
    DEPLOYMENT_NAME: groups.deploymentName,
    FEED_URL: feed.url,
    X86_64_GROUP_NAME: groups.groupNames.x86_64,
    ARM64_GROUP_NAME: groups.groupNames.arm64,
    POLL_INTERVAL_SECONDS: "60",
    FEED_TIMEOUT_MS: "500",
    FEED_ATTEMPTS: "2",
    ...environment,
  });
  const handler = createHandler({ config, clients, log: (entry) => logs.push(entry), now, sleep: async () => {} });
  return { handler, logs };
}

const fleetX86 = (groups: WorkerGroups) => ({ Deployment: groups.deploymentName, Fleet: "workers-x86_64" });

describe("handler against moto", () => {
  it("publishes the metrics and scales the preferred fleet out from zero; an unchanged decision sets nothing", async () => {
    const groups = await createWorkerGroups(endpoint, { min: 0, max: 40, desired: 0 });
    const { handler, logs } = harness(groups);
    feed.answer({ body: collectorPage({ queued: 6, executing: 0, workers: 0 }) });

    const result = await handler({ source: "aws.events", "detail-type": "Scheduled Event" }, { awsRequestId: "r1" });
    expect(result.polls).toHaveLength(1);
    expect(result.polls[0]).toMatchObject({
      outcome: "decided",
      trigger: "schedule",
      fleets: [
        { fleet: "workers-x86_64", capacitySet: true, decision: { action: "scale-out", desiredCapacity: 6 } },
        { fleet: "workers-arm64", capacitySet: false, decision: { action: "none", desiredCapacity: 0 } },
      ],
    });
    expect(await groups.desired(groups.groupNames.x86_64)).toBe(6);
    expect(await groups.desired(groups.groupNames.arm64)).toBe(0);
    expect(await groups.metricNames()).toEqual([
      "ConnectedWorkers",
      "CurrentCapacity",
      "DesiredCapacity",
      "ExecutingActions",
      "FeedErrors",
      "QueuedActions",
      "RequiredCapacity",
    ]);
    expect(await groups.values("QueuedActions", fleetX86(groups))).toEqual([6]);
    expect(await groups.values("DesiredCapacity", fleetX86(groups))).toEqual([6]);
    expect(await groups.values("FeedErrors", { Deployment: groups.deploymentName })).toEqual([0]);
    expect(logs.at(-1)).toMatchObject({ level: "info", message: "capacity set", requestId: "r1" });

    const setsBefore = await groups.groupRequests("SetDesiredCapacity");
    expect(setsBefore).toBe(1);
    feed.answer({ body: collectorPage({ queued: 0, executing: 6, workers: 3 }) });
    expect((await handler({})).polls[0]).toMatchObject({ fleets: [{ capacitySet: false, decision: { action: "none" } }, { capacitySet: false }] });
    expect(await groups.groupRequests("SetDesiredCapacity")).toBe(setsBefore);
    expect(logs.at(-1)).toMatchObject({ message: "capacity unchanged" });
  });

  const badFeeds: [string, () => void, string][] = [
    ["unreachable", () => {}, "unreachable"],
    ["an HTML error page", () => feed.answer({ status: 200, contentType: "text/html", body: "<html><body>502 Bad Gateway</body></html>" }), "not-prometheus"],
    ["HTTP 503", () => feed.answer({ status: 503, body: "collector starting" }), "http-status"],
    ["empty", () => feed.answer({ body: "" }), "empty"],
    ["NaN", () => feed.answer({ body: collectorPage({ queued: Number.NaN, executing: 1 }) }), "absurd-value"],
    [
      "a metric missing",
      () => feed.answer({ body: "# TYPE nativelink_worker_connected_count gauge\nnativelink_worker_connected_count 4\n" }),
      "metric-missing",
    ],
    ["absurd values", () => feed.answer({ body: collectorPage({ queued: 5_000_000, executing: 1 }) }), "absurd-value"],
  ];

  it.each(badFeeds)("a bad feed (%s) changes nothing, counts a FeedError and returns normally", async (what, serve, kind) => {
    const groups = await createWorkerGroups(endpoint, { min: 0, max: 40, desired: 4 });
    serve();
    const { handler, logs } = harness(groups, what === "unreachable" ? { FEED_URL: "http://127.0.0.1:9/metrics" } : {});
    const result = await handler({});
    expect(result.polls).toEqual([{ outcome: "feed-error", trigger: "schedule", feedError: { kind, message: expect.any(String) } }]);
    expect(logs.at(-1)).toMatchObject({ level: "warn", message: "bad feed; capacity left as it is", feedError: kind });
    expect(await groups.desired(groups.groupNames.x86_64)).toBe(4);
    expect(await groups.groupRequests("SetDesiredCapacity")).toBe(0);
    expect(await groups.groupRequests("DescribeAutoScalingGroups")).toBe(1); // the one the test itself made
    expect(await groups.values("FeedErrors", { Deployment: groups.deploymentName })).toEqual([1]);
    expect(await groups.metricNames()).toEqual(["FeedErrors"]);
  });

  it("a bad feed still returns normally when CloudWatch is unreachable too: it logs that FeedErrors was not published", async () => {
    const groups = await createWorkerGroups(endpoint, { min: 0, max: 40, desired: 4 });
    feed.answer({ status: 200, contentType: "text/html", body: "<html>502</html>" });
    const deadCloudWatch = { ...createAwsClients(), cloudWatch: new CloudWatchClient({ endpoint: "http://127.0.0.1:9", maxAttempts: 1 }) };
    const { handler, logs } = harness(groups, {}, deadCloudWatch);
    const result = await handler({});
    expect(result.polls).toEqual([{ outcome: "feed-error", trigger: "schedule", feedError: { kind: "not-prometheus", message: expect.any(String) } }]);
    expect(logs).toContainEqual(expect.objectContaining({ level: "error", message: "could not publish FeedErrors" }));
    expect(logs.at(-1)).toMatchObject({ level: "warn", message: "bad feed; capacity left as it is" });
    expect(await groups.desired(groups.groupNames.x86_64)).toBe(4);
    expect(await groups.groupRequests("SetDesiredCapacity")).toBe(0);
  });

  it("scales in only once CloudWatch's history shows the fleet over-provisioned for the idle period", async () => {
    const groups = await createWorkerGroups(endpoint, { min: 0, max: 40, desired: 10 });
    // The quick path off: this is the stabilization window's test (CloudWatch's minute stamps would make it racy).
    // On a minute boundary: CloudWatch stamps each minute's maximum at the minute's end, so the evidence depends on it.
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    const { handler } = harness(groups, { SCALE_IN_AFTER_SECONDS: "300", QUICK_SCALE_IN_FRACTION: "0" }, createAwsClients(), () => now);
    feed.answer({ body: collectorPage({ queued: 0, executing: 2, workers: 5 }) });

    // No history yet (just deployed): hold.
    expect((await handler({})).polls[0]).toMatchObject({
      fleets: [{ decision: { action: "hold", desiredCapacity: 10, reason: expect.stringMatching(/history/) } }, {}],
    });
    expect(await groups.desired(groups.groupNames.x86_64)).toBe(10);

    // Earlier invocations' requirements: 8 units four minutes ago, 3 since: scale in to 8, not to 2.
    await groups.putRequiredHistory(
      "workers-x86_64",
      [
        { secondsAgo: 290, units: 3 },
        { secondsAgo: 230, units: 8 },
        { secondsAgo: 170, units: 3 },
        { secondsAgo: 110, units: 3 },
        { secondsAgo: 50, units: 2 },
      ],
      now,
    );
    expect((await handler({})).polls[0]).toMatchObject({ fleets: [{ capacitySet: true, decision: { action: "scale-in", desiredCapacity: 8 } }, {}] });
    expect(await groups.desired(groups.groupNames.x86_64)).toBe(8);
  });

  it("scales in after a collapse once this process has seen a minute of it (the quick path)", async () => {
    const groups = await createWorkerGroups(endpoint, { min: 0, max: 40, desired: 10 });
    const config = x86Config(groups, feed.url, {
      POLL_INTERVAL_SECONDS: "20",
      FEED_CHECK_SECONDS: "20",
    });
    const { handler } = clockedHandler(config);
    feed.answer({ body: collectorPage({ queued: 0, executing: 2 }) });
    const result = await handler({}, { getRemainingTimeInMillis: () => 57_000 });
    expect(
      result.polls.map((poll) => (poll.outcome === "decided" ? [poll.fleets[0]!.decision.action, poll.fleets[0]!.decision.desiredCapacity] : poll.outcome)),
    ).toEqual([
      ["hold", 10],
      ["hold", 10],
      ["scale-in", 2],
    ]);
    expect(await groups.desired(groups.groupNames.x86_64)).toBe(2);
  });

  it("metrics-only mode publishes the decision and leaves the groups to the alarms", async () => {
    const groups = await createWorkerGroups(endpoint, { min: 0, max: 40, desired: 1 });
    const { handler, logs } = harness(groups, { MODE: "metrics-only" });
    feed.answer({ body: collectorPage({ queued: 9, executing: 1 }) });
    expect((await handler({})).polls[0]).toMatchObject({ fleets: [{ capacitySet: false, decision: { action: "scale-out", desiredCapacity: 10 } }, {}] });
    expect(await groups.desired(groups.groupNames.x86_64)).toBe(1);
    expect(await groups.groupRequests("SetDesiredCapacity")).toBe(0);
    expect(await groups.values("DesiredCapacity", fleetX86(groups))).toEqual([10]);
    expect(await groups.values("CurrentCapacity", fleetX86(groups))).toEqual([1]);
    expect(logs.at(-1)).toMatchObject({ message: "metrics published (metrics-only mode)" });
  });

  it("polls several times within one invocation, reacting at the next poll", async () => {
    const groups = await createWorkerGroups(endpoint, { min: 0, max: 40, desired: 0 });
    const config = x86Config(groups, feed.url, {
      POLL_INTERVAL_SECONDS: "20",
      FEED_CHECK_SECONDS: "20",
    });
    const answers = [collectorPage({ queued: 0, executing: 0 }), collectorPage({ queued: 3, executing: 0 }), collectorPage({ queued: 1, executing: 4 })];
    const { handler } = clockedHandler(config, () => feed.answer({ body: answers.shift() ?? "" }));
    feed.answer({ body: answers.shift()! });
    const result = await handler({}, { getRemainingTimeInMillis: () => 57_000 });
    expect(result.polls.map((poll) => (poll.outcome === "decided" ? poll.fleets[0]!.decision.desiredCapacity : -1))).toEqual([0, 3, 5]);
    expect(await groups.desired(groups.groupNames.x86_64)).toBe(5);
  });

  it("checks the feed between polls and decides as soon as it changed, not on unchanged or unreadable checks", async () => {
    const groups = await createWorkerGroups(endpoint, { min: 0, max: 40, desired: 0 });
    const config = x86Config(groups, feed.url, {
      POLL_INTERVAL_SECONDS: "20",
    });
    expect(config.feedCheckSeconds).toBe(5);
    const idle = collectorPage({ queued: 0, executing: 0, completed: 10 });
    const exported = collectorPage({ queued: 3, executing: 0, completed: 10 });
    // What the page says at each 5 s tick after the first: it changes once at 10 s (an export), is briefly down at 30 s.
    const answers: { status?: number; body: string }[] = [
      idle,
      exported,
      exported,
      exported,
      exported,
      { status: 503, body: "down" },
      exported,
      exported,
      exported,
      exported,
      exported,
    ].map((answer) => (typeof answer === "string" ? { body: answer } : answer));
    const requestsBefore = feed.requests;
    const { handler, clock } = clockedHandler(config, () => feed.answer(answers.shift() ?? { body: exported }));
    feed.answer({ body: idle });
    const startedAt = clock.now;
    const result = await handler({}, { getRemainingTimeInMillis: () => 57_000 - (clock.now - startedAt) });
    const summary = result.polls.map((poll) => [poll.trigger, poll.outcome === "decided" ? poll.fleets[0]!.decision.desiredCapacity : poll.outcome]);
    // Ticks at 0 (poll), 5, 10 (changed: decide), 15, 20 (poll), 25, 30 (503: nothing), 35, 40 (poll), 45; then
    // less than 10 s of the 57 s timeout would be left: the checks at 50 and 55 are skipped.
    expect(summary).toEqual([
      ["schedule", 0],
      ["feed-change", 3],
      ["schedule", 3],
      ["schedule", 3],
    ]);
    expect(feed.requests - requestsBefore).toBe(10);
    expect(await groups.desired(groups.groupNames.x86_64)).toBe(3);
    expect(await groups.groupRequests("SetDesiredCapacity")).toBe(1);
  });

  it("sizes by the drain it measures across invocations: queued actions the fleet starts before a boot need no instance", async () => {
    const groups = await createWorkerGroups(endpoint, { min: 0, max: 200, desired: 100 });
    const config = x86Config(groups, feed.url, {
      POLL_INTERVAL_SECONDS: "60",
      FEED_CHECK_SECONDS: "60",
      // Longer than the test: every decision here is about the requirement, none scales in.
      SCALE_IN_AFTER_SECONDS: "600",
    });
    let clock = Date.now() - 10 * 60_000;
    const handler = createHandler({ config, clients: createAwsClients(), log: () => {}, now: () => clock, sleep: async () => {} });
    const decide = async (counts: { queued: number; executing: number; completed?: number }) => {
      feed.answer({ body: collectorPage(counts) });
      const [poll] = (await handler({})).polls;
      clock += 60_000;
      return poll?.outcome === "decided" ? poll.fleets[0]!.decision : undefined;
    };
    // First polls: no rate yet, the plain rule (60 + 40 = 100, as desired).
    expect(await decide({ queued: 60, executing: 40, completed: 1000 })).toMatchObject({
      action: "none",
      requiredCapacity: 100,
      reason: expect.stringMatching(/drain unknown: less than 120s of rate history/),
    });
    expect(await decide({ queued: 45, executing: 40, completed: 1120 })).toMatchObject({ requiredCapacity: 85 });
    // Two minutes on: 2 completions/s, 1.75 arrivals/s; the 30 queued are started within the 120 s boot.
    expect(await decide({ queued: 30, executing: 40, completed: 1240 })).toMatchObject({
      action: "hold",
      requiredCapacity: 40,
      reason: expect.stringMatching(/30 queued − 30 started within the 120s boot: completing 2\/s, arriving 1.75\/s/),
    });
    // The scheduler restarted (the counter went down): the plain rule again.
    expect(await decide({ queued: 30, executing: 40, completed: 12 })).toMatchObject({
      requiredCapacity: 70,
      reason: expect.stringMatching(/the completed counter went down \(1240 → 12\)/),
    });
    // A feed without the completed stage (a scheduler that has completed nothing yet): unknown, the plain rule.
    expect(await decide({ queued: 30, executing: 40 })).toMatchObject({ requiredCapacity: 70, reason: expect.stringMatching(/no completed-stage series/) });
    expect(await groups.groupRequests("SetDesiredCapacity")).toBe(0);
  });

  it("rejects an event that is not a schedule, and fails clearly when a group does not exist", async () => {
    const groups = await createWorkerGroups(endpoint, { min: 0, max: 4, desired: 0 });
    const { handler } = harness(groups);
    await expect(handler({ source: "aws.s3" })).rejects.toThrow(/Not an EventBridge Scheduled Event or \{\}/);
    feed.answer({ body: collectorPage({ queued: 1, executing: 0 }) });
    const missing = harness(groups, { ARM64_GROUP_NAME: "no-such-group" });
    await expect(missing.handler({})).rejects.toThrow('Auto Scaling group "no-such-group" (arm64) not found: check ARM64_GROUP_NAME; no capacity was changed');
    expect(await groups.groupRequests("SetDesiredCapacity")).toBe(0);
  });
});
