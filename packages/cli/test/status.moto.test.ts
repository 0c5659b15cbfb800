// status against moto: Auto Scaling groups with instances, EC2 private IPs, the private zone, CloudWatch.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { latestMetrics } from "../src/status/observe.js";
import { createCluster, motoSpeaksCloudWatchJson, queryProtocolCloudWatch } from "./support/cluster.js";
import { freePort } from "./support/fake-tools.js";
import { useMoto } from "./support/moto.js";
import { runCli } from "./support/run-cli.js";

const { clientConfig } = useMoto();
const allFleets = { cas: 2, scheduler: 1, "workers-x86_64": 3, "workers-arm64": 0 };

interface StatusJson {
  ok: boolean;
  schedulerDns: { verdict: string; recordIps?: string[]; instances: { privateIp?: string; lifecycleState: string }[] };
  fleets: { fleet: string; group: string; exists: boolean; desired?: number; inService?: number }[];
  metrics: Record<string, Record<string, { value: number } | null>> | null;
  metricsError?: string;
}

describe("status", () => {
  beforeAll(async () => {
    // The venv pins a moto/botocore pair that answers the SDK's CloudWatch JSON protocol; say so plainly if not.
    expect(await motoSpeaksCloudWatchJson(clientConfig), "moto must answer CloudWatch JSON requests (see tools/README.md)").toBe(true);
  });

  it("agrees when scheduler.internal.DOMAIN holds the scheduler's private IP: exit 0, fleets and metrics as JSON", async () => {
    const cluster = await createCluster(clientConfig, allFleets);
    await cluster.putMetric("workers-x86_64", "QueuedActions", 7);
    await cluster.putMetric("workers-x86_64", "DesiredCapacity", 3);
    const result = await runCli(["status", "--domain", cluster.domain, "--deployment", cluster.deployment, "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout) as StatusJson;
    expect(status.ok).toBe(true);
    expect(status.schedulerDns).toMatchObject({
      verdict: "agree",
      recordIps: [cluster.schedulerIp],
      instances: [{ privateIp: cluster.schedulerIp, lifecycleState: "InService" }],
    });
    expect(status.fleets.map((fleet) => [fleet.group, fleet.desired, fleet.inService])).toEqual([
      [`${cluster.deployment}-cas`, 2, 2],
      [`${cluster.deployment}-scheduler`, 1, 1],
      [`${cluster.deployment}-workers-x86_64`, 3, 3],
      [`${cluster.deployment}-workers-arm64`, 0, 0],
    ]);
    expect(status.metrics?.["workers-x86_64"]).toMatchObject({
      QueuedActions: { value: 7 },
      DesiredCapacity: { value: 3 },
      ExecutingActions: null,
      ConnectedWorkers: null,
    });
    expect(status.metrics?.["workers-arm64"]).toEqual({ QueuedActions: null, ExecutingActions: null, ConnectedWorkers: null, DesiredCapacity: null });
  });

  it("a record pointing elsewhere is a mismatch: exit 1, both addresses shown", async () => {
    const cluster = await createCluster(clientConfig, { scheduler: 1, "workers-x86_64": 1 });
    await cluster.setSchedulerRecord(["10.99.99.99"]);
    const result = await runCli(["status", "--domain", cluster.domain, "--deployment", cluster.deployment]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `scheduler DNS: MISMATCH (disagree): scheduler.internal.${cluster.domain} → 10.99.99.99, but the scheduler is at ${cluster.schedulerIp}`,
    );
    expect(result.stdout).toMatch(new RegExp(`workers-arm64 +${cluster.deployment}-workers-arm64 +\\(no such group\\)`));
    expect(result.stdout).toContain("workers-arm64: QueuedActions=no data");
    expect(result.stderr).toContain("the scheduler's DNS record is not right");
  });

  it("no record yet: exit 1 (no-record); --outputs finds the record name", async () => {
    const cluster = await createCluster(clientConfig, { scheduler: 1 }, { record: false });
    const dir = mkdtempSync(join(tmpdir(), "status-outputs-"));
    writeFileSync(
      join(dir, "outputs.json"),
      JSON.stringify({ scheduler_internal_domain_name: { value: `scheduler.internal.${cluster.domain}`, type: "string", sensitive: false } }),
    );
    const result = await runCli(["status", "--outputs", "outputs.json", "--deployment", cluster.deployment, "--json"], { cwd: dir });
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as StatusJson).schedulerDns.verdict).toBe("no-record");
  });

  it("no private zone for the domain: exit 1 (no-zone)", async () => {
    const result = await runCli(["status", "--domain", "nothing-here.example.com", "--deployment", "nothing-here", "--json"]);
    expect(result.code).toBe(1);
    const status = JSON.parse(result.stdout) as StatusJson;
    expect(status.schedulerDns.verdict).toBe("no-zone");
    expect(status.fleets.every((fleet) => !fleet.exists)).toBe(true);
  });

  it("reads the latest autoscaler metric per fleet (namespace NativeLink, dimensions Deployment and Fleet), null for no data", async () => {
    const cluster = await createCluster(clientConfig, {});
    await cluster.putMetric("workers-arm64", "ConnectedWorkers", 2);
    await cluster.putMetric("workers-arm64", "ConnectedWorkers", 5);
    await cluster.putMetric("workers-x86_64", "QueuedActions", 11);
    await cluster.putMetric("other-fleet", "QueuedActions", 99);
    const metrics = await latestMetrics(queryProtocolCloudWatch(clientConfig), cluster.deployment, ["workers-x86_64", "workers-arm64"], new Date());
    expect(metrics["workers-x86_64"]).toEqual({
      QueuedActions: { value: 11, timestamp: expect.any(String) },
      ExecutingActions: null,
      ConnectedWorkers: null,
      DesiredCapacity: null,
    });
    // Two datapoints in the same minute: the minute's average.
    expect(metrics["workers-arm64"]?.ConnectedWorkers?.value).toBe(3.5);
    expect(await latestMetrics(queryProtocolCloudWatch(clientConfig), "no-such-deployment", ["workers-x86_64"], new Date())).toEqual({
      "workers-x86_64": { QueuedActions: null, ExecutingActions: null, ConnectedWorkers: null, DesiredCapacity: null },
    });
  });

  it("when CloudWatch cannot be read, the metrics say so and the DNS verdict still decides the exit code", async () => {
    const cluster = await createCluster(clientConfig, { scheduler: 1 });
    process.env.AWS_ENDPOINT_URL_CLOUDWATCH = `http://127.0.0.1:${await freePort()}`;
    try {
      const result = await runCli(["status", "--domain", cluster.domain, "--deployment", cluster.deployment]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("scheduler DNS: OK (agree)");
      expect(result.stdout).toMatch(/autoscaler metrics: unavailable \(could not reach AWS \(cloudwatch:GetMetricData\)/);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_CLOUDWATCH;
    }
  });

  it.each([
    [["status"], /give exactly one of --domain DOMAIN or --outputs FILE/],
    [["status", "--domain", "a.example.com", "--outputs", "o.json"], /give exactly one of --domain DOMAIN or --outputs FILE/],
    [["status", "--domain", "a.example.com", "--deployment", "X"], /--deployment: "X" is not a deployment name/],
    [
      ["status", "--outputs", "o.json", "--scheduler-prefix", "sched"],
      /--scheduler-prefix: applies only with --domain; with --outputs FILE the record is the output scheduler_internal_domain_name/,
    ],
  ])("usage error %j: exit 2", async (argv, message) => {
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
