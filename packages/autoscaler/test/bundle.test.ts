// The bundle Lambda runs (dist/lambda/index.mjs), in a fresh Node process against moto and a local feed.
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { motoEnvironment } from "../../../tools/moto/moto-server.js";
import { collectorPage, startFeedServer, type FeedServer } from "./support/feed-server.js";
import { createWorkerGroups } from "./support/worker-groups.js";

const bundlePath = fileURLToPath(new URL("../dist/lambda/index.mjs", import.meta.url));
const runner = fileURLToPath(new URL("../../../tools/lambda/invoke-bundle.mjs", import.meta.url));
const endpoint = inject("motoEndpoint");
let feed: FeedServer;
beforeAll(async () => {
  feed = await startFeedServer({ body: collectorPage({ queued: 3, executing: 1, workers: 1 }) });
});
afterAll(() => feed.close());

describe("the handler bundle", () => {
  it("stays within 300 KB minified with the SDK inside", () => {
    expect(readFileSync(bundlePath).length).toBeLessThanOrEqual(300_000);
  });

  it("runs as Lambda would: reads the feed, publishes, sets capacity", async () => {
    const groups = await createWorkerGroups(endpoint, { min: 0, max: 10, desired: 0 });
    const environment = {
      ...motoEnvironment(endpoint),
      DEPLOYMENT_NAME: groups.deploymentName,
      FEED_URL: feed.url,
      X86_64_GROUP_NAME: groups.groupNames.x86_64,
      POLL_INTERVAL_SECONDS: "60",
      FEED_CHECK_SECONDS: "60",
    };
    // Asynchronously: the feed is served by this process.
    const child = await promisify(execFile)(process.execPath, [runner, bundlePath, JSON.stringify({})], {
      env: { PATH: process.env.PATH, ...environment },
      encoding: "utf8",
    });
    expect(child.stderr).toBe("");
    const lines = child.stdout.split("\n").filter(Boolean);
    expect(JSON.parse(lines.find((line) => line.startsWith("{"))!)).toMatchObject({ level: "info", message: "capacity set" });
    expect(JSON.parse(lines.find((line) => line.startsWith("RESULT "))!.slice(7))).toMatchObject({
      polls: [{ outcome: "decided", fleets: [{ decision: { desiredCapacity: 4 } }] }],
    });
    expect(await groups.desired(groups.groupNames.x86_64)).toBe(4);
  });

  it("fails its init listing every configuration problem", () => {
    const child = spawnSync(process.execPath, [runner, bundlePath, "{}"], { env: { PATH: process.env.PATH, FEED_URL: "nope" }, encoding: "utf8" });
    expect(child.status).toBe(1);
    expect(child.stderr).toMatch(/Invalid autoscaler configuration in the environment:\n- DEPLOYMENT_NAME is missing/);
  });
});
