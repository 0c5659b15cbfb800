import { describe, expect, it } from "vitest";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests break the lock in arbitrary places
type Mutable = Record<string, any>;
import { ImagesLockError, parseImagesLock, releaseAssetName, releaseAssetUrl, renderImagesLock, type ImagesLock } from "../src/index.js";

const digest = (seed: string) => seed.repeat(64).slice(0, 64);

function sampleLock(): ImagesLock {
  const asset = (tool: "nativelink" | "otelcol", version: string, architecture: "x86_64" | "arm64", seed: string) => ({
    name: releaseAssetName(tool, version, architecture),
    sha256: digest(seed),
    size: 1234,
  });
  return {
    format: 1,
    lockedAt: "2026-12-03T10:00:00.000Z",
    lockedBy: "nativelink-aws images lock 0.2.0",
    nativelink: {
      version: "1.6.6",
      releaseBaseUrl: "https://github.com/TraceMachina/nativelink/releases/download",
      assets: { x86_64: asset("nativelink", "1.6.6", "x86_64", "a"), arm64: asset("nativelink", "1.6.6", "arm64", "b") },
      verifiedBy: ["SLSA provenance lists both digests"],
    },
    otelcol: {
      version: "0.161.0",
      releaseBaseUrl: "https://github.com/open-telemetry/opentelemetry-collector-releases/releases/download",
      assets: { x86_64: asset("otelcol", "0.161.0", "x86_64", "c"), arm64: asset("otelcol", "0.161.0", "arm64", "d") },
      verifiedBy: ["checksums file lists both digests"],
    },
  };
}

describe("release asset names", () => {
  it("follows each publisher's naming", () => {
    expect(releaseAssetName("nativelink", "1.6.6", "arm64")).toBe("nativelink-1.6.6-aarch64-unknown-linux-musl.tar.gz");
    expect(releaseAssetName("otelcol", "0.161.0", "x86_64")).toBe("otelcol-contrib_0.161.0_linux_amd64.tar.gz");
    expect(releaseAssetUrl("https://mirror.example.com/r/", "1.6.6", "x.tar.gz")).toBe("https://mirror.example.com/r/v1.6.6/x.tar.gz");
  });
});

describe("images lock file", () => {
  it("renders and parses back the same lock", () => {
    const text = renderImagesLock(sampleLock());
    expect(text.endsWith("}\n")).toBe(true);
    expect(parseImagesLock(text, "images.lock.json")).toEqual(sampleLock());
  });

  it.each(["http://127.0.0.1:40123", "http://localhost/mirror/otelcol", "http://[::1]:8080/x"])("accepts a mirror on this machine over http: %s", (url) => {
    const lock = structuredClone(sampleLock()) as Mutable;
    lock.otelcol.releaseBaseUrl = url;
    expect(parseImagesLock(JSON.stringify(lock), "images.lock.json").otelcol.releaseBaseUrl).toBe(url);
  });

  it.each<[string, (lock: Mutable) => void, RegExp]>([
    [
      "a short digest",
      (lock) => {
        lock.nativelink.assets.arm64.sha256 = "abc";
      },
      /nativelink\.assets\.arm64\.sha256: expected a SHA-256/,
    ],
    [
      "an asset of another version",
      (lock) => {
        lock.otelcol.version = "0.160.0";
      },
      /otelcol\.assets\.x86_64\.name: expected "otelcol-contrib_0\.160\.0_linux_amd64\.tar\.gz"/,
    ],
    [
      "a v in the version",
      (lock) => {
        lock.nativelink.version = "v1.6.6";
      },
      /nativelink\.version: expected a release version without "v"/,
    ],
    [
      "no verification recorded",
      (lock) => {
        lock.otelcol.verifiedBy = [];
      },
      /otelcol\.verifiedBy: a lock records at least one verification/,
    ],
    [
      "a future format",
      (lock) => {
        lock.format = 2;
      },
      /format: expected format 1/,
    ],
    [
      "plain http",
      (lock) => {
        lock.nativelink.releaseBaseUrl = "http://mirror";
      },
      /releaseBaseUrl: expected an https URL/,
    ],
    [
      "http to a host other than loopback",
      (lock) => {
        lock.otelcol.releaseBaseUrl = "http://127.0.0.1.example.com/x";
      },
      /releaseBaseUrl: expected an https URL/,
    ],
    [
      "a trailing slash",
      (lock) => {
        lock.otelcol.releaseBaseUrl = "https://mirror.example.com/otelcol/";
      },
      /releaseBaseUrl: expected a URL without a trailing slash/,
    ],
    [
      "an unknown field",
      (lock) => {
        lock.extra = true;
      },
      /extra/,
    ],
  ])("refuses %s, naming the field and the command to run", (_name, mutate, message) => {
    const lock = structuredClone(sampleLock()) as Mutable;
    mutate(lock);
    const parse = () => parseImagesLock(JSON.stringify(lock), "app/images.lock.json");
    expect(parse).toThrow(ImagesLockError);
    expect(parse).toThrow(message);
    expect(parse).toThrow(/Write it again with: npx nativelink-aws images lock --out app\/images\.lock\.json/);
  });

  it("refuses text that is not JSON", () => {
    expect(() => parseImagesLock("{", "x.json")).toThrow(/x\.json is not JSON .*npx nativelink-aws images lock --out x\.json/);
  });
});
