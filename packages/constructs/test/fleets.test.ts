import { describe, expect, it } from "vitest";
import { resources, synthCluster } from "./synth-helpers.js";

type Resource = Record<string, unknown>;
const byName = (all: Record<string, Resource>): Record<string, Resource> =>
  Object.fromEntries(Object.values(all).map((resource) => [String(resource.name), resource]));

describe("fleets", () => {
  const synth = synthCluster();
  const groups = byName(resources(synth, "aws_autoscaling_group"));
  const templates = byName(resources(synth, "aws_launch_template"));
  const overrides = (group: Resource) =>
    (group.mixed_instances_policy as { launch_template: { override: { instance_type: string; weighted_capacity: string }[] } }).launch_template.override.map(
      (override) => [override.instance_type, Number(override.weighted_capacity)],
    );
  const distribution = (group: Resource) => (group.mixed_instances_policy as { instances_distribution: Resource }).instances_distribution;

  it("creates four fleets, each a launch template and an Auto Scaling group", () => {
    expect(Object.keys(groups).sort()).toEqual(["nativelink-cas", "nativelink-scheduler", "nativelink-workers-arm64", "nativelink-workers-x86_64"]);
    expect(Object.keys(templates).sort()).toEqual(Object.keys(groups).sort());
  });

  it("requires IMDSv2, exposes instance tags in metadata, and gives no public IP or key pair", () => {
    for (const template of Object.values(templates)) {
      expect(template.metadata_options).toEqual({
        http_endpoint: "enabled",
        http_tokens: "required",
        http_put_response_hop_limit: 1,
        instance_metadata_tags: "enabled",
      });
      expect(template.network_interfaces).toEqual([expect.objectContaining({ associate_public_ip_address: "false", device_index: 0 })]);
      expect(template.key_name).toBeUndefined();
    }
  });

  it("encrypts a gp3 root volume on the image's own root device", () => {
    for (const template of Object.values(templates)) {
      expect(template.block_device_mappings).toEqual([
        {
          device_name: expect.stringMatching(/^\$\{data\.aws_ami\..*\.root_device_name\}$/),
          ebs: { volume_type: "gp3", volume_size: 20, encrypted: "true", delete_on_termination: "true" },
        },
      ]);
    }
  });

  it("tags instances with their role and deployment, which the bootstrap reads through metadata", () => {
    const roles = Object.fromEntries(
      Object.entries(templates).map(([name, template]) => [name, (template.tag_specifications as { tags: Record<string, string> }[])[0]!.tags]),
    );
    expect(roles["nativelink-cas"]).toMatchObject({ "nativelink:role": "cas", "nativelink:deployment": "nativelink" });
    expect(roles["nativelink-scheduler"]).toMatchObject({ "nativelink:role": "scheduler" });
    expect(roles["nativelink-workers-x86_64"]).toMatchObject({ "nativelink:role": "worker" });
  });

  it("uses the arm64 image for the CAS, the scheduler and arm64 workers, and the x86_64 image for x86_64 workers", () => {
    expect(templates["nativelink-cas"]!.image_id).toBe("ami-0fedcba9876543210");
    expect(templates["nativelink-scheduler"]!.image_id).toBe("ami-0fedcba9876543210");
    expect(templates["nativelink-workers-arm64"]!.image_id).toBe("ami-0fedcba9876543210");
    expect(templates["nativelink-workers-x86_64"]!.image_id).toBe("ami-0123456789abcdef0");
  });

  it("places every group in the private subnets", () => {
    for (const group of Object.values(groups)) {
      expect(group.vpc_zone_identifier).toEqual([expect.stringContaining("Network_Private0"), expect.stringContaining("Network_Private1")]);
    }
  });

  it("runs the CAS on arm64 spot, weighted by the original's formula, min 1 and max 25 instances, newest first out, behind its two target groups", () => {
    const cas = groups["nativelink-cas"]!;
    expect(overrides(cas)).toEqual([
      ["r6g.xlarge", 195],
      ["r7g.xlarge", 195],
      ["r6gd.xlarge", 195],
      ["r8g.xlarge", 195],
    ]);
    expect(cas).toMatchObject({
      min_size: 195,
      max_size: 25 * 195,
      desired_capacity_type: "units",
      termination_policies: ["NewestInstance"],
      health_check_type: "ELB",
      capacity_rebalance: true,
    });
    expect(distribution(cas)).toMatchObject({ on_demand_percentage_above_base_capacity: 0, spot_allocation_strategy: "price-capacity-optimized" });
    expect(cas.target_group_arns).toEqual([
      expect.stringContaining("aws_lb_target_group.Cluster_LoadBalancer_cas-targets"),
      expect.stringContaining("aws_lb_target_group.Cluster_LoadBalancer_cas-writers-targets"),
    ]);
  });

  it("runs exactly one on-demand scheduler in its target group", () => {
    const scheduler = groups["nativelink-scheduler"]!;
    expect(scheduler).toMatchObject({ min_size: 1, max_size: 1, desired_capacity: 1, health_check_type: "ELB" });
    expect(scheduler.mixed_instances_policy).toBeUndefined();
    expect(templates["nativelink-scheduler"]!.instance_type).toBe("c6g.xlarge");
    expect(scheduler.target_group_arns).toEqual([expect.stringContaining("aws_lb_target_group.Cluster_LoadBalancer_scheduler-targets")]);
  });

  it("runs x86_64 workers on 2-vCPU NVMe types and arm64 workers on 1-vCPU NVMe types, weights = vCPUs, on spot", () => {
    const x86 = groups["nativelink-workers-x86_64"]!;
    const arm = groups["nativelink-workers-arm64"]!;
    expect(overrides(x86).every(([type, weight]) => String(type).endsWith(".large") && weight === 2)).toBe(true);
    expect(overrides(x86)).toHaveLength(12);
    expect(overrides(arm)).toEqual(
      ["c6gd.medium", "m6gd.medium", "r6gd.medium", "c7gd.medium", "m7gd.medium", "r7gd.medium", "is4gen.medium"].map((type) => [type, 1]),
    );
    for (const workers of [x86, arm]) {
      expect(workers).toMatchObject({
        min_size: 1,
        max_size: 200,
        capacity_rebalance: true,
        health_check_type: "EC2",
        lifecycle: { ignore_changes: ["desired_capacity"] },
      });
      expect(distribution(workers)).toMatchObject({ on_demand_percentage_above_base_capacity: 0, spot_allocation_strategy: "price-capacity-optimized" });
    }
  });

  it("takes worker types, sizes and counts as props; min may be 0; a fleet can be left out", () => {
    const custom = synthCluster({
      workers: { x86_64: { instanceTypes: ["c6id.xlarge", { instanceType: "m6id.2xlarge", weight: 8 }], minVcpus: 0, maxVcpus: 64 }, arm64: false },
    });
    const customGroups = byName(resources(custom, "aws_autoscaling_group"));
    expect(customGroups["nativelink-workers-arm64"]).toBeUndefined();
    expect(overrides(customGroups["nativelink-workers-x86_64"]!)).toEqual([
      ["c6id.xlarge", 4],
      ["m6id.2xlarge", 8],
    ]);
    expect(customGroups["nativelink-workers-x86_64"]).toMatchObject({ min_size: 0, max_size: 64 });
  });

  it("adds a key pair only when asked", () => {
    const withKey = byName(resources(synthCluster({ keyName: "ops" }), "aws_launch_template"));
    for (const template of Object.values(withKey)) expect(template.key_name).toBe("ops");
  });

  it("enables group metrics for dashboards", () => {
    for (const group of Object.values(groups)) expect(group.enabled_metrics).toContain("GroupInServiceInstances");
  });
});
