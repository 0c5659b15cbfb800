import { afterEach, describe, expect, it } from "vitest";
import { startFakeImds, unreachableEndpoint, type FakeImds, type FakeImdsOptions } from "./helpers/fake-imds.js";
import { ROOT_VOLUME, instanceStoreDisk } from "./helpers/fake-tools.js";
import { FakeInstance } from "./helpers/instance.js";

const CAS_ROLE = ["NATIVELINK_ROLE=cas", "NATIVELINK_DEPLOYMENT=ci", "NATIVELINK_BUCKET=ci-cas-123456789012", "NATIVELINK_REGION=eu-west-1"];
const CAS_TAGS = { "nativelink:role": "cas", "nativelink:deployment": "ci" };

let imds: FakeImds | undefined;
let instance: FakeInstance | undefined;

afterEach(async () => {
  await imds?.close();
  instance?.remove();
  imds = undefined;
  instance = undefined;
});

async function casInstance(options: FakeImdsOptions, role: readonly string[] = CAS_ROLE): Promise<{ imds: FakeImds; instance: FakeInstance }> {
  imds = await startFakeImds(options);
  instance = new FakeInstance([ROOT_VOLUME, instanceStoreDisk(1)]);
  instance.writeRoleFile(role);
  return { imds, instance };
}

/** A failed run must leave disks and the env file alone. */
function expectStoppedEarly(target: FakeInstance): void {
  expect(target.diskChanges()).toEqual([]);
  expect(target.envFile()).toBeUndefined();
}

describe("nativelink-bootstrap: instance metadata (IMDSv2) and role", () => {
  it("asks for a token first (with a TTL) and sends it with every read", async () => {
    const { imds, instance } = await casInstance({ tags: CAS_TAGS });
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code, result.stderr).toBe(0);
    const [first, ...reads] = imds.requests;
    expect(first).toMatchObject({ method: "PUT", path: "/latest/api/token", ttl: "300" });
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) expect(read).toMatchObject({ method: "GET", token: "fake-imdsv2-token" });
    expect(reads.map((read) => read.path)).toEqual([
      "/latest/meta-data/tags/instance/nativelink:role",
      "/latest/meta-data/tags/instance/nativelink:deployment",
    ]);
  });

  it("the fake metadata service refuses reads without a token, as EC2 does with http_tokens = required", async () => {
    const { imds } = await casInstance({ tags: CAS_TAGS });
    const response = await fetch(`${imds.endpoint}/latest/meta-data/tags/instance/nativelink:role`);
    expect(response.status).toBe(401);
  });

  it("stops when the metadata service refuses a token", async () => {
    const { imds, instance } = await casInstance({ tags: CAS_TAGS, refuseTokens: true });
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refused an IMDSv2 token \(HTTP 403\)/);
    expect(imds.requests.filter((request) => request.method === "GET")).toEqual([]);
    expectStoppedEarly(instance);
  });

  it("stops when the metadata service is unreachable", async () => {
    instance = new FakeInstance();
    instance.writeRoleFile(CAS_ROLE);
    const result = await instance.runBootstrap(await unreachableEndpoint());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/instance metadata unreachable at http:\/\/127\.0\.0\.1:\d+: cannot get an IMDSv2 token/);
    expectStoppedEarly(instance);
  });

  it("stops when the role tag is missing", async () => {
    const { imds, instance } = await casInstance({ tags: { "nativelink:deployment": "ci" } });
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the instance has no tag nativelink:role/);
    expectStoppedEarly(instance);
  });

  it("stops, saying what to enable, when instance tags are not exposed in metadata", async () => {
    const { imds, instance } = await casInstance({});
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/enable instance_metadata_tags in the launch template/);
    expectStoppedEarly(instance);
  });

  it.each([
    ["role", { "nativelink:role": "worker", "nativelink:deployment": "ci" }, /tag nativelink:role=worker disagrees with .*role\.env \(cas\)/],
    ["deployment", { "nativelink:role": "cas", "nativelink:deployment": "other" }, /tag nativelink:deployment=other disagrees with .*role\.env \(ci\)/],
  ])("refuses to run when the %s tag disagrees with role.env", async (_, tags, message) => {
    const { imds, instance } = await casInstance({ tags });
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expectStoppedEarly(instance);
  });

  it("stops when role.env is missing", async () => {
    imds = await startFakeImds({ tags: CAS_TAGS });
    instance = new FakeInstance();
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/role\.env is missing: user data writes it/);
    expect(imds.requests).toEqual([]);
  });

  it.each([
    ["a missing bucket", CAS_ROLE.filter((line) => !line.startsWith("NATIVELINK_BUCKET")), /role\.env has no NATIVELINK_BUCKET/],
    ["a missing region", CAS_ROLE.filter((line) => !line.startsWith("NATIVELINK_REGION")), /role\.env has no NATIVELINK_REGION/],
    ["an unknown role", ["NATIVELINK_ROLE=proxy", ...CAS_ROLE.slice(1)], /NATIVELINK_ROLE=proxy is not cas, scheduler or worker/],
    ["a line that is not KEY=value", [...CAS_ROLE, "just words"], /cannot parse 'just words'/],
    ["a bad memory percentage", [...CAS_ROLE, "NATIVELINK_MEMORY_PERCENT=120"], /NATIVELINK_MEMORY_PERCENT=120 is not a percentage between 1 and 100/],
  ])("stops on %s in role.env, naming it", async (_, role, message) => {
    const { imds, instance } = await casInstance({ tags: CAS_TAGS }, role);
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(instance.envFile()).toBeUndefined();
  });

  it("stops when /proc/meminfo has no MemTotal", async () => {
    const { imds, instance } = await casInstance({ tags: CAS_TAGS });
    instance.writeState("../root/proc/meminfo", "MemFree: 1 kB\n");
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot read MemTotal from .*proc\/meminfo/);
    expect(instance.envFile()).toBeUndefined();
  });
});
