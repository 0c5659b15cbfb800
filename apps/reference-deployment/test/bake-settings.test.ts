import { describe, expect, it } from "vitest";
import { bakeSettingsFromEnvironment } from "../src/bake-settings.js";

const HASH = "0123456789abcdef".repeat(4);
const ALL = { NATIVELINK_SHA256_X86_64: HASH, NATIVELINK_SHA256_ARM64: HASH, OTELCOL_SHA256_X86_64: HASH, OTELCOL_SHA256_ARM64: HASH };

describe("bake settings from the environment", () => {
  it("are absent without checksums: AMI ids come from Terraform variables", () => {
    expect(bakeSettingsFromEnvironment({ PATH: "/usr/bin" })).toBeUndefined();
  });

  it("bake with every checksum, and an optional version", () => {
    expect(bakeSettingsFromEnvironment({ ...ALL, NATIVELINK_VERSION: "1.6.6" })).toEqual({
      nativelinkVersion: "1.6.6", nativelinkSha256: { x86_64: HASH, arm64: HASH }, otelcolSha256: { x86_64: HASH, arm64: HASH },
    });
  });

  it("name the missing checksums", () => {
    expect(() => bakeSettingsFromEnvironment({ NATIVELINK_SHA256_X86_64: HASH })).toThrow(
      "To bake images, set every checksum variable; missing: NATIVELINK_SHA256_ARM64, OTELCOL_SHA256_X86_64, OTELCOL_SHA256_ARM64. Or unset them all to pass AMI ids as Terraform variables.",
    );
  });

  it("refuse a malformed checksum or version, naming the variable", () => {
    expect(() => bakeSettingsFromEnvironment({ ...ALL, OTELCOL_SHA256_ARM64: "abc" })).toThrow("OTELCOL_SHA256_ARM64: expected 64 lowercase hex digits (a SHA-256)");
    expect(() => bakeSettingsFromEnvironment({ ...ALL, NATIVELINK_VERSION: "v1.6" })).toThrow('NATIVELINK_VERSION: expected a release version such as "1.6.6"');
  });
});
