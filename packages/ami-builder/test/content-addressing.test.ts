import { describe, expect, it } from "vitest";
import { contentHash, contentVersion } from "../src/content-version.js";
import type { NativeLinkImageProps } from "../src/props.js";
import { BAKE_PROPS, TEST_SHA256 } from "./helpers/bake.js";
import { byName, synthImage, versions } from "./helpers/synth.js";

const baseline = versions(synthImage(BAKE_PROPS));

/** The components and recipes whose version (hence whose image) a change of props replaces. */
function replacedBy(change: NativeLinkImageProps): string[] {
  const changed = versions(synthImage({ ...BAKE_PROPS, ...change }));
  return Object.keys(baseline)
    .filter((key) => changed[key] !== baseline[key])
    .sort();
}

const RECIPES = ["aws_imagebuilder_image_recipe:nativelink-nativelink-arm64", "aws_imagebuilder_image_recipe:nativelink-nativelink-x86_64"];

describe("content-addressed images: rebaked only when an input changes", () => {
  it("derives Image Builder versions (1.<minor>.<patch>, each < 2^30) from a hash", () => {
    const version = contentVersion(contentHash(["a", "b"]));
    expect(version).toMatch(/^1\.\d+\.\d+$/);
    for (const part of version.split(".")) expect(Number(part)).toBeLessThan(2 ** 30);
    expect(contentHash(["ab", "c"])).not.toBe(contentHash(["a", "bc"]));
    expect(() => contentVersion("xyz")).toThrow(/hex hash/);
  });

  it("synthesizes the same versions twice: a re-apply changes nothing and rebakes nothing", () => {
    expect(versions(synthImage(BAKE_PROPS))).toEqual(baseline);
    expect(Object.keys(baseline)).toHaveLength(16);
  });

  it("rebakes both images for a new NativeLink version", () => {
    expect(replacedBy({ nativelinkVersion: "1.6.5" })).toEqual([
      "aws_imagebuilder_component:nativelink-nativelink-arm64",
      "aws_imagebuilder_component:nativelink-nativelink-x86_64",
      ...RECIPES,
    ]);
  });

  it("rebakes only the x86_64 image for a new x86_64 checksum", () => {
    expect(replacedBy({ nativelinkSha256: { ...TEST_SHA256.nativelink, x86_64: "f".repeat(64) } })).toEqual([
      "aws_imagebuilder_component:nativelink-nativelink-x86_64",
      "aws_imagebuilder_image_recipe:nativelink-nativelink-x86_64",
    ]);
  });

  it("rebakes for a new collector, a new drain time, a new bootstrap revision or a new base image parameter", () => {
    expect(replacedBy({ otelcolVersion: "0.150.0" })).toEqual([
      "aws_imagebuilder_component:nativelink-otelcol-arm64",
      "aws_imagebuilder_component:nativelink-otelcol-x86_64",
      ...RECIPES,
    ]);
    // The drain time is the unit's stop timeout and the drain watcher's longest wait.
    expect(replacedBy({ stopTimeoutSeconds: 7200 })).toEqual([
      "aws_imagebuilder_component:nativelink-nativelink-drain-unit",
      "aws_imagebuilder_component:nativelink-nativelink-units",
      ...RECIPES,
    ]);
    expect(replacedBy({ bakeRevision: "2026-09-01" })).toEqual(RECIPES);
    expect(replacedBy({ rootVolumeSizeGib: 32 })).toEqual(RECIPES);
    expect(
      replacedBy({
        baseImageSsmParameters: { x86_64: "/custom/ubuntu/amd64", arm64: "/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id" },
      }),
    ).toEqual(["aws_imagebuilder_image_recipe:nativelink-nativelink-x86_64"]);
  });

  it("does not rebake for tags or for keeping failed builders (the infrastructure is updated in place)", () => {
    expect(replacedBy({ tags: { team: "build" } })).toEqual([]);
    const kept = synthImage({ ...BAKE_PROPS, keepBuilderOnFailure: true });
    expect(replacedBy({ keepBuilderOnFailure: true })).toEqual([]);
    for (const configuration of Object.values(byName(kept, "aws_imagebuilder_infrastructure_configuration"))) {
      expect(configuration.terminate_instance_on_failure).toBe(false);
    }
  });
});
