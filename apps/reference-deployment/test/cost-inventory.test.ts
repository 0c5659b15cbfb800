import { fileURLToPath } from "node:url";
import { estimate, IDLE_USAGE, REFERENCE_DEFAULTS, stackInventory } from "@nativelink-aws/cli";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { ReferenceDeployment } from "../src/reference-deployment.js";

/** A valid lock with made-up digests: the stack bakes, as the deployed reference does. */
const FIXTURE_LOCK = fileURLToPath(new URL("../../../tools/fixtures/images.lock.json", import.meta.url));
const FIXTURE_CLIENT_CA = fileURLToPath(new URL("../../../tools/fixtures/client-ca", import.meta.url));

describe("nativelink-aws cost and the reference deployment", () => {
  it("reads from the synthesized reference stack exactly the defaults it prices without one", () => {
    const synthesized = JSON.parse(
      Testing.synth(new ReferenceDeployment(Testing.app(), "nativelink", { imagesLockFile: FIXTURE_LOCK, clientCaDirectory: FIXTURE_CLIENT_CA })),
    ) as unknown;
    const inventory = stackInventory(synthesized, REFERENCE_DEFAULTS.label);
    expect(inventory).toEqual(REFERENCE_DEFAULTS);
    expect(estimate(inventory, IDLE_USAGE).total).toBe(estimate(REFERENCE_DEFAULTS, IDLE_USAGE).total);
  });
});
