import { estimate, IDLE_USAGE, REFERENCE_DEFAULTS, stackInventory } from "@nativelink-aws/cli";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { ReferenceDeployment } from "../src/reference-deployment.js";

describe("nativelink-aws cost and the reference deployment", () => {
  it("reads from the synthesized reference stack exactly the defaults it prices without one", () => {
    const synthesized = JSON.parse(Testing.synth(new ReferenceDeployment(Testing.app(), "nativelink"))) as unknown;
    const inventory = stackInventory(synthesized, REFERENCE_DEFAULTS.label);
    expect(inventory).toEqual(REFERENCE_DEFAULTS);
    expect(estimate(inventory, IDLE_USAGE).total).toBe(estimate(REFERENCE_DEFAULTS, IDLE_USAGE).total);
  });
});
