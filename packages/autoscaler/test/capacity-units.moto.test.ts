// Worker groups that count instances (one on-demand type, as a warm pool needs) against moto: the policy decides in
// vCPUs, the group gets whole instances.
import { AutoScalingClient, CreateOrUpdateTagsCommand } from "@aws-sdk/client-auto-scaling";
import { describe, expect, it } from "vitest";
import { capacityUnitsFor, createAwsClients, vcpusPerCapacityUnit } from "../src/handler/aws.js";
import { loadConfig } from "../src/handler/config.js";
import { createHandler } from "../src/handler/handler.js";
import { collectorPage } from "./support/feed-server.js";
import { motoTestFile } from "./support/moto-file.js";
import { createWorkerGroups, type WorkerGroups } from "./support/worker-groups.js";

const { endpoint, feed } = motoTestFile();

/** The x86_64 group as NativeLinkCluster tags an on-demand m6id.large fleet: 2 vCPUs per instance. */
async function instanceCountedGroups(): Promise<WorkerGroups> {
  const groups = await createWorkerGroups(endpoint, { min: 0, max: 20, desired: 0 });
  const autoScaling = new AutoScalingClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
  await autoScaling.send(
    new CreateOrUpdateTagsCommand({
      Tags: [
        {
          ResourceId: groups.groupNames.x86_64,
          ResourceType: "auto-scaling-group",
          Key: "nativelink:vcpus-per-capacity-unit",
          Value: "2",
          PropagateAtLaunch: false,
        },
      ],
    }),
  );
  return groups;
}

function handlerFor(groups: WorkerGroups) {
  const config = loadConfig({
    DEPLOYMENT_NAME: groups.deploymentName,
    FEED_URL: feed.url,
    X86_64_GROUP_NAME: groups.groupNames.x86_64,
    ARM64_GROUP_NAME: groups.groupNames.arm64,
    POLL_INTERVAL_SECONDS: "60",
  });
  return createHandler({ config, clients: createAwsClients(), log: () => {}, sleep: async () => {} });
}

describe("groups that count instances (nativelink:vcpus-per-capacity-unit)", () => {
  it("sets whole instances for the vCPUs the policy wants, and reads the group back in vCPUs", async () => {
    const groups = await instanceCountedGroups();
    const handler = handlerFor(groups);
    feed.answer({ body: collectorPage({ queued: 6, executing: 0, workers: 0 }) });
    const first = await handler({ source: "aws.events", "detail-type": "Scheduled Event" });
    expect(first.polls[0]).toMatchObject({ fleets: [{ fleet: "workers-x86_64", capacitySet: true, decision: { desiredCapacity: 6 } }, {}] });
    expect(await groups.desired(groups.groupNames.x86_64)).toBe(3);

    feed.answer({ body: collectorPage({ queued: 0, executing: 6, workers: 3 }) });
    const second = await handler({});
    expect(second.polls[0]).toMatchObject({ fleets: [{ capacitySet: false, decision: { action: "none" } }, {}] });
    expect(await groups.groupRequests("SetDesiredCapacity")).toBe(1);
  });

  it("rounds an odd number of vCPUs up to whole instances, and makes no call that would not change the group", async () => {
    const groups = await instanceCountedGroups();
    const handler = handlerFor(groups);
    feed.answer({ body: collectorPage({ queued: 5, executing: 0, workers: 0 }) });
    await handler({});
    expect(await groups.desired(groups.groupNames.x86_64)).toBe(3);
    feed.answer({ body: collectorPage({ queued: 5, executing: 0, workers: 3 }) });
    await handler({});
    expect(await groups.desired(groups.groupNames.x86_64)).toBe(3);
    expect(await groups.groupRequests("SetDesiredCapacity")).toBe(1);
  });
});

describe("capacity units", () => {
  it.each([
    [[], 1],
    [[{ Key: "Name", Value: "x" }], 1],
    [[{ Key: "nativelink:vcpus-per-capacity-unit", Value: "4" }], 4],
  ])("vcpusPerCapacityUnit(%j) = %i", (tags, expected) => {
    expect(vcpusPerCapacityUnit("g", tags)).toBe(expected);
  });

  it.each(["0", "2.5", "", "four"])("refuses the tag value %j", (value) => {
    expect(() => vcpusPerCapacityUnit("g", [{ Key: "nativelink:vcpus-per-capacity-unit", Value: value }])).toThrow(
      `group "g": tag nativelink:vcpus-per-capacity-unit=${value} is not a whole number of vCPUs`,
    );
  });

  it.each([
    [0, 2, 0],
    [1, 2, 1],
    [6, 2, 3],
    [7, 4, 2],
    [7, 1, 7],
  ])("%i vCPUs in units of %i: %i", (vcpus, perUnit, units) => {
    expect(capacityUnitsFor(vcpus, perUnit)).toBe(units);
  });
});
