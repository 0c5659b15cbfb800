import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { releaseAssetName, renderImagesLock, type ImagesLock } from "@nativelink-aws/nativelink-config";
import { describe, expect, it } from "vitest";
import { ImagesLockError, readImagesLockFile } from "../src/index.js";
import { nativelinkReleaseUrl, otelcolReleaseUrl } from "../src/components.js";
import { resolveBakeSettings } from "../src/resolve-props.js";
import { BAKE_PROPS } from "./helpers/bake.js";

const NETWORK = { vpcId: BAKE_PROPS.vpcId, subnetId: BAKE_PROPS.subnetId };

function lock(): ImagesLock {
  const asset = (tool: "nativelink" | "otelcol", version: string, architecture: "x86_64" | "arm64", digit: string) => ({
    name: releaseAssetName(tool, version, architecture),
    sha256: digit.repeat(64),
    size: 10,
  });
  return {
    format: 1,
    lockedAt: "2026-12-03T10:00:00.000Z",
    lockedBy: "test",
    nativelink: {
      version: "1.6.5",
      releaseBaseUrl: "https://mirror.example.com/nativelink",
      assets: { x86_64: asset("nativelink", "1.6.5", "x86_64", "a"), arm64: asset("nativelink", "1.6.5", "arm64", "b") },
      verifiedBy: ["test"],
    },
    otelcol: {
      version: "0.160.0",
      releaseBaseUrl: "https://mirror.example.com/otelcol",
      assets: { x86_64: asset("otelcol", "0.160.0", "x86_64", "c"), arm64: asset("otelcol", "0.160.0", "arm64", "d") },
      verifiedBy: ["test"],
    },
  };
}

describe("NativeLinkImage from an images lock file", () => {
  it("bakes exactly the locked versions, addresses and digests", () => {
    const settings = resolveBakeSettings("Test/Image", { ...NETWORK, lock: lock() });
    expect(settings.nativelinkVersion).toBe("1.6.5");
    expect(settings.nativelinkSha256).toEqual({ x86_64: "a".repeat(64), arm64: "b".repeat(64) });
    expect(settings.otelcolSha256).toEqual({ x86_64: "c".repeat(64), arm64: "d".repeat(64) });
    expect(nativelinkReleaseUrl(settings, "arm64")).toBe("https://mirror.example.com/nativelink/v1.6.5/nativelink-1.6.5-aarch64-unknown-linux-musl.tar.gz");
    expect(otelcolReleaseUrl(settings, "x86_64")).toBe("https://mirror.example.com/otelcol/v0.160.0/otelcol-contrib_0.160.0_linux_amd64.tar.gz");
  });

  it.each(["nativelinkVersion", "nativelinkSha256", "otelcolReleaseBaseUrl"] as const)("refuses %s beside the lock", (prop) => {
    const props = { ...NETWORK, lock: lock(), [prop]: BAKE_PROPS.nativelinkSha256 ?? "1.6.6" };
    expect(() => resolveBakeSettings("Test/Image", props)).toThrow(
      new RegExp(`'${prop}': the images lock file \\(lock\\) already pins it\\. Fix: remove ${prop}, or remove lock`),
    );
  });

  it("refuses a lock object that is not valid", () => {
    const bad = { ...lock(), otelcol: { ...lock().otelcol, version: "latest" } };
    expect(() => resolveBakeSettings("Test/Image", { ...NETWORK, lock: bad })).toThrow(/'lock': it is not a valid images lock/);
  });
});

describe("readImagesLockFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "images-lock-"));

  it("reads a lock file written by renderImagesLock", () => {
    const path = join(dir, "images.lock.json");
    writeFileSync(path, renderImagesLock(lock()));
    expect(readImagesLockFile(path)).toEqual(lock());
  });

  it("says which command writes a missing lock file", () => {
    const path = join(dir, "missing.json");
    expect(() => readImagesLockFile(path)).toThrow(ImagesLockError);
    expect(() => readImagesLockFile(path)).toThrow(`no images lock file at ${path}: write it with \`npx nativelink-aws images lock --out ${path}\``);
  });
});
