import { describe, expect, it } from "vitest";
import type { WorkerFleetOptions } from "../src/index.js";
import { resources, synthCluster } from "./synth-helpers.js";
import { evaluateBase64Template } from "./terraform-string.js";

type Resource = Record<string, unknown>;
const byName = (all: Record<string, Resource>): Record<string, Resource> =>
  Object.fromEntries(Object.values(all).map((resource) => [String(resource.name), resource]));

/** x86_64 workers on demand, one 2-vCPU type, 4 to 40 vCPUs, with a warm pool; arm64 left as it is. */
const WARM_WORKERS: WorkerFleetOptions = { instanceTypes: ["m6id.large"], purchaseOption: "on-demand", minVcpus: 4, maxVcpus: 40, warmPool: { minSize: 3 } };

function roleEnv(template: Resource): string {
  const script = evaluateBase64Template(String(template.user_data), {});
  return script.slice(script.indexOf("NATIVELINK_ROLE=worker"), script.indexOf("NATIVELINK_ROLE_EOF", script.indexOf("NATIVELINK_ROLE=worker")));
}

describe("worker warm pools", () => {
  const synth = synthCluster({ workers: { x86_64: WARM_WORKERS } });
  const groups = byName(resources(synth, "aws_autoscaling_group"));
  const templates = byName(resources(synth, "aws_launch_template"));
  const warm = groups["nativelink-workers-x86_64"]!;

  it("keeps minSize instances stopped in the pool, and returns scaled-in workers to it by default", () => {
    expect(warm.warm_pool).toEqual({
      pool_state: "Stopped",
      min_size: 3,
      max_group_prepared_capacity: 2 + 3,
      instance_reuse_policy: { reuse_on_scale_in: true },
    });
    // A returning worker is drained through the drain hook its user data names (the autoscaler creates it).
    expect(roleEnv(templates["nativelink-workers-x86_64"]!)).toMatch(/^NATIVELINK_LIFECYCLE_HOOK=nativelink-drain$/m);
  });

  it("terminates scaled-in workers with reuseOnScaleIn: false", () => {
    const terminating = synthCluster({ workers: { x86_64: { ...WARM_WORKERS, warmPool: { minSize: 3, reuseOnScaleIn: false } }, arm64: false } });
    const group = byName(resources(terminating, "aws_autoscaling_group"))["nativelink-workers-x86_64"]!;
    expect(group.warm_pool).toMatchObject({ min_size: 3, instance_reuse_policy: { reuse_on_scale_in: false } });
  });

  it("launches every instance under a launch hook that abandons an instance whose bootstrap never completes it", () => {
    expect(warm.initial_lifecycle_hook).toEqual([
      { name: "nativelink-launch", lifecycle_transition: "autoscaling:EC2_INSTANCE_LAUNCHING", default_result: "ABANDON", heartbeat_timeout: 600 },
    ]);
    expect(roleEnv(templates["nativelink-workers-x86_64"]!)).toMatch(/^NATIVELINK_LAUNCH_HOOK=nativelink-launch$/m);
  });

  it("counts whole on-demand instances, with no mixed instances policy, and tags the group with vCPUs per instance", () => {
    expect(warm.mixed_instances_policy).toBeUndefined();
    expect(warm.launch_template).toEqual(expect.objectContaining({ id: expect.any(String) }));
    expect(templates["nativelink-workers-x86_64"]!.instance_type).toBe("m6id.large");
    expect([warm.min_size, warm.max_size]).toEqual([2, 20]);
    expect(warm.desired_capacity_type).toBeUndefined();
    expect(warm.capacity_rebalance).toBe(false);
    expect(warm.tag).toContainEqual({ key: "nativelink:vcpus-per-capacity-unit", value: "2", propagate_at_launch: false });
  });

  it("leaves fleets without a warm pool as they were: Spot weighted in vCPUs, no launch hook, no tag", () => {
    const cold = groups["nativelink-workers-arm64"]!;
    expect(cold.warm_pool).toBeUndefined();
    expect(cold.initial_lifecycle_hook).toBeUndefined();
    expect(cold.desired_capacity_type).toBe("units");
    expect(cold.tag).toEqual([{ key: "Name", value: "nativelink-workers-arm64", propagate_at_launch: false }]);
    expect(roleEnv(templates["nativelink-workers-arm64"]!)).not.toMatch(/NATIVELINK_LAUNCH_HOOK/);
  });

  it("takes an explicit maxGroupPreparedCapacity", () => {
    const explicit = synthCluster({ workers: { x86_64: { ...WARM_WORKERS, warmPool: { minSize: 1, maxGroupPreparedCapacity: 12 } }, arm64: false } });
    const group = byName(resources(explicit, "aws_autoscaling_group"))["nativelink-workers-x86_64"]!;
    expect(group.warm_pool).toMatchObject({ min_size: 1, max_group_prepared_capacity: 12 });
  });

  it("rounds an on-demand fleet's vCPU bounds to whole instances even without a warm pool", () => {
    const plain = synthCluster({
      workers: { x86_64: { instanceTypes: ["m6id.xlarge"], purchaseOption: "on-demand", minVcpus: 1, maxVcpus: 30 }, arm64: false },
    });
    const group = byName(resources(plain, "aws_autoscaling_group"))["nativelink-workers-x86_64"]!;
    expect([group.min_size, group.max_size]).toEqual([1, 7]);
    expect(group.warm_pool).toBeUndefined();
    expect(group.tag).toContainEqual({ key: "nativelink:vcpus-per-capacity-unit", value: "4", propagate_at_launch: false });
  });
});

describe("worker warm pool validation names the prop and the fix", () => {
  it.each<[string, WorkerFleetOptions, string]>([
    [
      "on Spot",
      { warmPool: {} },
      "test/Cluster: invalid prop 'workers.x86_64.warmPool': a warm pool on a fleet with purchaseOption \"spot\": Auto Scaling refuses warm pools " +
        'on groups that launch Spot Instances. Fix: set workers.x86_64.purchaseOption to "on-demand" with one instance type, or leave warmPool out.',
    ],
    [
      "with a mixed instances policy",
      { purchaseOption: "on-demand", instanceTypes: ["m6id.large", "m5d.large"], warmPool: {} },
      "test/Cluster: invalid prop 'workers.x86_64.instanceTypes': 2 instance types with a warm pool: Auto Scaling refuses warm pools on groups " +
        'with a mixed instances policy. Fix: give exactly one instance type, e.g. ["m6id.large"].',
    ],
    [
      "of no instances",
      { ...WARM_WORKERS, warmPool: { minSize: 0 } },
      "test/Cluster: invalid prop 'workers.x86_64.warmPool.minSize': 0 is not a whole number of instances from 1 to the fleet's most (20). " +
        "Fix: keep a few instances warm: about the instances a typical burst adds.",
    ],
    [
      "prepared below the group's minimum",
      { ...WARM_WORKERS, warmPool: { minSize: 1, maxGroupPreparedCapacity: 1 } },
      "test/Cluster: invalid prop 'workers.x86_64.warmPool.maxGroupPreparedCapacity': 1 is not a whole number of instances ≥ 2 (the group's minimum " +
        "and the pool's minSize). Fix: use at least 2, or leave it out to keep the pool at minSize.",
    ],
    [
      "whose maxVcpus holds no whole instance",
      { instanceTypes: ["m6id.xlarge"], purchaseOption: "on-demand", minVcpus: 0, maxVcpus: 3 },
      "test/Cluster: invalid prop 'workers.x86_64.maxVcpus': 3 holds no more than 0 whole instances of m6id.xlarge (4 vCPUs each), fewer than " +
        "minVcpus asks. Fix: make maxVcpus a multiple of 4 of at least 4.",
    ],
    [
      "whose reuseOnScaleIn is not a boolean",
      { ...WARM_WORKERS, warmPool: { reuseOnScaleIn: "yes" as unknown as boolean } },
      "test/Cluster: invalid prop 'workers.x86_64.warmPool.reuseOnScaleIn': \"yes\" is not true or false. " +
        "Fix: use true to return drained workers to the pool on scale-in, false to terminate them, or leave it out (true).",
    ],
  ])("refuses a warm pool %s", (_, x86_64, message) => {
    expect(() => synthCluster({ workers: { x86_64 } })).toThrow(message);
  });
});
