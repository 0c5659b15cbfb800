import { Fn, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { NativeLinkPropError } from "@nativelink-aws/conventions";
import { NativeLinkImage } from "../src/native-link-image.js";
import type { NativeLinkImageProps } from "../src/props.js";
import { BAKE_PROPS } from "./helpers/bake.js";

function construct(props: NativeLinkImageProps): void {
  Testing.synthScope((scope) => {
    new NativeLinkImage(scope, "Image", props);
  });
}

function without(prop: keyof NativeLinkImageProps): NativeLinkImageProps {
  const props: Record<string, unknown> = { ...BAKE_PROPS };
  delete props[prop];
  return props as NativeLinkImageProps;
}

const AMIS = { x86_64: "ami-0123456789abcdef0", arm64: "ami-0fedcba9876543210" };

describe("NativeLinkImage props: invalid values throw, naming the prop and the fix", () => {
  it.each<[string, NativeLinkImageProps, RegExp]>([
    ["subnetId missing", without("subnetId"), /invalid prop 'subnetId': it is required when baking images\. Fix: pass a subnet with internet egress/],
    ["vpcId missing", without("vpcId"), /invalid prop 'vpcId': it is required when baking images\. Fix: pass the id of the VPC/],
    [
      "nativelinkSha256 missing",
      without("nativelinkSha256"),
      /invalid prop 'nativelinkSha256': it is required when baking images\. Fix: pass \{ x86_64, arm64 \}/,
    ],
    ["otelcolSha256 missing", without("otelcolSha256"), /invalid prop 'otelcolSha256': it is required/],
    [
      "a short checksum",
      { ...BAKE_PROPS, nativelinkSha256: { x86_64: "1".repeat(64), arm64: "abc" } },
      /'nativelinkSha256\.arm64': "abc" is not a SHA-256 of 64 hex digits/,
    ],
    ["a checksum missing an architecture", { ...BAKE_PROPS, otelcolSha256: { x86_64: "1".repeat(64) } as never }, /'otelcolSha256': it has no arm64 entry/],
    [
      "an unknown architecture",
      { ...BAKE_PROPS, nativelinkSha256: { x86_64: "1".repeat(64), arm64: "2".repeat(64), aarch64: "3".repeat(64) } as never },
      /"aarch64" is not an architecture\. Fix: use the keys x86_64 and arm64/,
    ],
    ["a bad name", { ...BAKE_PROPS, name: "Native_Link" }, /'name': "Native_Link" is not 2-20 lowercase letters/],
    ["a token name", { ...BAKE_PROPS, name: Fn.lower("X") }, /'name': it is a Terraform token/],
    ["a version that is not a release", { ...BAKE_PROPS, nativelinkVersion: "latest" }, /'nativelinkVersion': "latest" is not a release version/],
    ["a plain-http mirror", { ...BAKE_PROPS, nativelinkReleaseBaseUrl: "http://mirror.example.com" }, /'nativelinkReleaseBaseUrl': .* is not an https URL/],
    ["the OTLP port as metrics port", { ...BAKE_PROPS, metricsPort: 4317 }, /'metricsPort': 4317 is where the collector receives OTLP/],
    ["a privileged metrics port", { ...BAKE_PROPS, metricsPort: 80 }, /'metricsPort': 80 is not an integer from 1024 to 65535/],
    ["a drain time too short", { ...BAKE_PROPS, stopTimeoutSeconds: 5 }, /'stopTimeoutSeconds': 5 is not an integer from 30/],
    ["a tiny root volume", { ...BAKE_PROPS, rootVolumeSizeGib: 4 }, /'rootVolumeSizeGib': 4 is not an integer from 8/],
    ["no builder instance type", { ...BAKE_PROPS, builderInstanceTypes: { x86_64: ["m6i.large"], arm64: [] } }, /'builderInstanceTypes\.arm64': it is empty/],
    [
      "a base image that is not an SSM parameter",
      { ...BAKE_PROPS, baseImageSsmParameters: { x86_64: "ami-0123", arm64: "/ok" } },
      /'baseImageSsmParameters\.x86_64': "ami-0123" is not an SSM parameter name/,
    ],
    ["an empty bake revision", { ...BAKE_PROPS, bakeRevision: "" }, /'bakeRevision': "" is not a non-empty revision/],
    [
      "existing AMIs with a bake prop",
      { existingAmiIds: AMIS, subnetId: "subnet-1" },
      /'subnetId': existingAmiIds skips baking, so this prop would be ignored\. Fix: remove subnetId, or remove existingAmiIds to bake/,
    ],
    ["an AMI id that is not one", { existingAmiIds: { ...AMIS, arm64: "ubuntu" } }, /'existingAmiIds\.arm64': "ubuntu" is not an AMI id/],
  ])("%s", (_, props, message) => {
    expect(() => construct(props)).toThrow(message);
  });

  it("throws NativeLinkPropError with the construct path", () => {
    try {
      construct(without("subnetId"));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(NativeLinkPropError);
      expect((error as NativeLinkPropError).prop).toBe("subnetId");
      expect((error as Error).message).toMatch(/^\S*Image: invalid prop/);
    }
  });

  it("accepts tokens where Terraform decides (network ids, existing AMI ids) and literal versions with a leading v", () => {
    expect(() => construct({ ...BAKE_PROPS, vpcId: Fn.lower("VPC"), subnetId: Fn.lower("SUBNET"), nativelinkVersion: "v1.6.6" })).not.toThrow();
    expect(() =>
      construct({ existingAmiIds: { x86_64: Fn.lower("AMI"), arm64: AMIS.arm64 }, metricsPort: 9500, logGroupName: "/ci/nativelink" }),
    ).not.toThrow();
  });
});
