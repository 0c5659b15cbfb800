import { describe, expect, it } from "vitest";
import { estimate } from "../src/cost/estimate.js";
import { IDLE_USAGE } from "../src/cost/inventory.js";
import { stackInventory } from "../src/cost/stack-inventory.js";

/** The table prices m6id.large only: the xlarge by --hourly. */
const PRICES = { "m6id.xlarge": 0.2373 };

/** A worker group as NativeLinkCluster writes one with a warm pool: one on-demand type, counted in instances of 4 vCPUs. */
function warmStack(warmPool: Record<string, number>, group: Record<string, unknown> = {}) {
  return {
    resource: {
      aws_launch_template: { lt: { instance_type: "m6id.xlarge", block_device_mappings: [{ ebs: { volume_size: 30 } }] } },
      aws_autoscaling_group: {
        g: {
          name: "ci-workers-x86_64",
          min_size: 1,
          max_size: 10,
          launch_template: { id: "${aws_launch_template.lt.id}" },
          tag: [
            { key: "Name", value: "ci-workers-x86_64", propagate_at_launch: false },
            { key: "nativelink:vcpus-per-capacity-unit", value: "4", propagate_at_launch: false },
          ],
          warm_pool: { pool_state: "Stopped", ...warmPool },
          ...group,
        },
      },
    },
  };
}

describe("cost of a warm pool", () => {
  it("reads an instance-counted group in vCPUs and its pool at idle: minSize when the prepared capacity leaves no more", () => {
    const [fleet] = stackInventory(warmStack({ min_size: 3, max_group_prepared_capacity: 4 }), "s").fleets;
    expect(fleet).toMatchObject({ name: "workers-x86_64", purchase: "on-demand", instanceTypes: [{ instanceType: "m6id.xlarge", weight: 4 }] });
    expect(fleet).toMatchObject({ minCapacity: 4, warmPoolInstances: 3 });
  });

  it("holds the prepared capacity minus the group's minimum when that is more; the group's maximum without one (or -1)", () => {
    expect(stackInventory(warmStack({ min_size: 1, max_group_prepared_capacity: 6 }), "s").fleets[0]!.warmPoolInstances).toBe(5);
    expect(stackInventory(warmStack({ min_size: 1 }), "s").fleets[0]!.warmPoolInstances).toBe(9);
    expect(stackInventory(warmStack({ min_size: 0, max_group_prepared_capacity: -1 }), "s").fleets[0]!.warmPoolInstances).toBe(9);
  });

  it("prices the stopped instances' root volumes at idle and the refill launches with usage (hand-computed)", () => {
    const inventory = stackInventory(warmStack({ min_size: 3, max_group_prepared_capacity: 4 }, { min_size: 0 }), "s");
    const lines = (refills: number) =>
      Object.fromEntries(estimate(inventory, { ...IDLE_USAGE, warmPoolRefillsPerMonth: refills }, PRICES).lines.map((line) => [line.item, line.monthly]));
    // A fleet at zero still pays for its pool: 4 stopped (prepared 4 − 0) × 30 GiB × $0.08.
    expect(lines(0)).toEqual(expect.objectContaining({ "workers-x86_64: warm pool, 4 stopped × 30 GiB gp3 root": 9.6 }));
    expect(Object.keys(lines(0)).filter((item) => item.startsWith("workers-x86_64"))).toEqual(["workers-x86_64: warm pool, 4 stopped × 30 GiB gp3 root"]);
    // 1000 refills × 3 min × $0.2373 an hour.
    expect(lines(1000)).toEqual(expect.objectContaining({ "workers-x86_64: 1000 warm pool refills (3 min each)": 11.87 }));
  });

  it("adds nothing for a fleet without a warm pool", () => {
    const { warm_pool: _, ...cold } = warmStack({}).resource.aws_autoscaling_group.g;
    const inventory = stackInventory({ resource: { ...warmStack({}).resource, aws_autoscaling_group: { g: cold } } }, "s");
    expect(inventory.fleets[0]).not.toHaveProperty("warmPoolInstances");
    expect(estimate(inventory, { ...IDLE_USAGE, warmPoolRefillsPerMonth: 10 }, PRICES).lines.map((line) => line.item)).not.toContainEqual(
      expect.stringContaining("warm pool"),
    );
  });
});
