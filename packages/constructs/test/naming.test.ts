import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { NativeLinkCluster } from "../src/cluster.js";
import { TEST_IMAGES, type Synthesized, TEST_CLIENT_AUTHENTICATION } from "./synth-helpers.js";

/** Attributes that hold a physical name somewhere in AWS, in one account and region. */
const PHYSICAL_NAME_FIELDS = ["name", "bucket", "name_prefix", "role_name"];

function physicalNames(synth: Synthesized): string[] {
  const names: string[] = [];
  for (const [type, all] of Object.entries(synth.resource)) {
    for (const resource of Object.values(all)) {
      for (const field of PHYSICAL_NAME_FIELDS) {
        const value = resource[field];
        // References to other resources, Route 53 names (per zone) and inline role policy names (per role)
        // are not account-wide names.
        if (typeof value !== "string" || value.startsWith("${") || type.startsWith("aws_route53") || type === "aws_iam_role_policy") continue;
        names.push(`${type}:${value}`);
      }
      const tags = resource.tags as Record<string, string> | undefined;
      if (tags?.Name) names.push(`${type}:Name=${tags.Name}`);
    }
  }
  return names;
}

describe("two deployments in one account and region", () => {
  it("share no physical name", () => {
    const synthesized = ["nativelink", "ci-cache"].map((name) => {
      const stack = new TerraformStack(Testing.app(), name);
      new AwsProvider(stack, "aws", {});
      new NativeLinkCluster(stack, "Cluster", { name, baseDomain: "build.example.com", images: TEST_IMAGES, clientAuthentication: TEST_CLIENT_AUTHENTICATION });
      return physicalNames(JSON.parse(Testing.synth(stack)) as Synthesized);
    });
    const [first, second] = synthesized as [string[], string[]];
    expect(first.length).toBeGreaterThan(30);
    expect(first.filter((name) => second.includes(name))).toEqual([]);
    expect(second.every((name) => name.includes("ci-cache"))).toBe(true);
  });

  it("can live in one stack with prefixed outputs", () => {
    const stack = new TerraformStack(Testing.app(), "both");
    new AwsProvider(stack, "aws", {});
    new NativeLinkCluster(stack, "Blue", {
      name: "blue",
      baseDomain: "blue.example.com",
      images: TEST_IMAGES,
      clientAuthentication: TEST_CLIENT_AUTHENTICATION,
      outputPrefix: "blue_",
    });
    new NativeLinkCluster(stack, "Green", {
      name: "green",
      baseDomain: "green.example.com",
      images: TEST_IMAGES,
      clientAuthentication: TEST_CLIENT_AUTHENTICATION,
      outputPrefix: "green_",
    });
    const synth = JSON.parse(Testing.synth(stack)) as Synthesized;
    expect(synth.output.blue_cas_endpoint?.value).toBe("grpcs://cas.blue.example.com");
    expect(synth.output.green_cas_endpoint?.value).toBe("grpcs://cas.green.example.com");
    const names = physicalNames(synth);
    expect(new Set(names).size).toBe(names.length);
  });
});
