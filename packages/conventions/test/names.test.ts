import { describe, expect, it } from "vitest";
import { NativeLinkPropError, checkDeploymentName, deploymentNameProblem, drainHookName, physicalName, workerFleetId } from "../src/index.js";

describe("the deployment name rule", () => {
  it.each([
    ["nativelink", true],
    ["ci-cache", true],
    ["ab", true],
    ["a".repeat(20), true],
    ["a", false],
    ["a".repeat(21), false],
    ["ci-", false],
    ["1ci", false],
    ["Ci", false],
    ["ci_cache", false],
  ])("%s: %s", (name, valid) => {
    expect(deploymentNameProblem(name) === undefined).toBe(valid);
  });

  it("leaves the longest physical names within AWS's 32 characters (load balancers, target groups)", () => {
    const longest = "a".repeat(20);
    // The cluster's longest load-balancing names: the ALB and the target groups' fallback `<name>-<id>`.
    for (const suffix of ["alb", "cas", "scheduler", "cas-writers"]) expect(physicalName(longest, suffix).length).toBeLessThanOrEqual(32);
  });

  it("is checked with a NativeLinkPropError naming the construct, the value and the fix", () => {
    expect(() => checkDeploymentName("Stack/Cluster", "A")).toThrow(NativeLinkPropError);
    try {
      checkDeploymentName("Stack/Cluster", "A");
    } catch (error) {
      expect(error).toMatchObject({ constructPath: "Stack/Cluster", prop: "name", value: "A", fix: expect.stringContaining('"nativelink"') });
    }
    expect(checkDeploymentName("Stack/Cluster", "ci")).toBe("ci");
  });
});

describe("names derived from the deployment", () => {
  it("form the drain hook and the worker fleets as the image and the metrics expect them", () => {
    expect(drainHookName("ci")).toBe("ci-drain");
    expect(workerFleetId("arm64")).toBe("workers-arm64");
    expect(physicalName("ci", workerFleetId("x86_64"))).toBe("ci-workers-x86_64");
  });
});
