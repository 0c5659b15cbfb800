import { describe, expect, it } from "vitest";
import type { NativeLinkCluster } from "../src/cluster.js";
import { clusterStack } from "./synth-helpers.js";

const clusterOf = (props: Parameters<typeof clusterStack>[0]) => clusterStack(props).node.findChild("Cluster") as NativeLinkCluster;

describe("the workers' longest action", () => {
  it("is exposed by the cluster for the drain (undefined without worker fleets)", () => {
    expect(clusterOf({}).workerMaxActionTimeoutSeconds).toBe(1200);
    expect(clusterOf({ workers: { x86_64: false, arm64: false } }).workerMaxActionTimeoutSeconds).toBeUndefined();
  });
});
