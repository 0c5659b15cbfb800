// How the suite finds NativeLink: the variable, else the lock's release (downloaded, verified, unpacked), else a
// failure that says how to get one. The downloads here are served from memory: no network.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { releaseAssetName, renderImagesLock, type ImagesLock } from "@nativelink-aws/nativelink-config";
import { afterEach, describe, expect, it } from "vitest";
import { resolveBinary } from "../src/binaries.js";

let directory: string;
afterEach(() => rmSync(directory, { recursive: true, force: true }));

/** A release tarball holding a `nativelink` that prints `version`, as NativeLink's `--version` does. */
function fakeRelease(version: string): Buffer {
  const contents = join(directory, "contents");
  mkdirSync(contents, { recursive: true });
  writeFileSync(join(contents, "nativelink"), `#!/bin/sh\necho "nativelink ${version}"\n`);
  chmodSync(join(contents, "nativelink"), 0o755);
  execFileSync("tar", ["-czf", join(directory, "release.tar.gz"), "-C", contents, "nativelink"]);
  return readFileSync(join(directory, "release.tar.gz"));
}

function writeLock(tarball: Buffer, sha256 = createHash("sha256").update(tarball).digest("hex")): string {
  const asset = (tool: "nativelink" | "otelcol", version: string, architecture: "x86_64" | "arm64") => ({
    name: releaseAssetName(tool, version, architecture),
    sha256,
    size: tarball.length,
  });
  const release = (tool: "nativelink" | "otelcol", version: string) => ({
    version,
    releaseBaseUrl: "https://releases.example.com",
    assets: { x86_64: asset(tool, version, "x86_64"), arm64: asset(tool, version, "arm64") },
    verifiedBy: ["tests/e2e"],
  });
  const lock: ImagesLock = {
    format: 1,
    lockedAt: "2026-12-01T00:00:00Z",
    lockedBy: "tests/e2e",
    nativelink: release("nativelink", "1.6.6"),
    otelcol: release("otelcol", "0.161.0"),
  };
  const path = join(directory, "images.lock.json");
  writeFileSync(path, renderImagesLock(lock));
  return path;
}

/** Serves `body` for every URL and records the URLs asked for. */
function serving(body: Buffer, urls: string[]): typeof globalThis.fetch {
  return async (input) => {
    urls.push(String(input));
    return new Response(new Uint8Array(body));
  };
}

/**
 * A fresh directory with a fake 1.6.6 release and a lock naming it (with `lockSha256`, else the tarball's own digest);
 * `resolve` looks the binary up there, serving the tarball and recording each URL it downloads into `urls`.
 */
function lockedRelease(lockSha256?: string) {
  directory = mkdtempSync(join(tmpdir(), "e2e-binaries-"));
  const tarball = fakeRelease("1.6.6");
  const lockPath = writeLock(tarball, lockSha256);
  const cacheDirectory = join(directory, "cache");
  const urls: string[] = [];
  const resolve = () => resolveBinary("nativelink", { env: {}, lockPath, cacheDirectory, fetch: serving(tarball, urls) });
  return { tarball, cacheDirectory, urls, resolve };
}

describe("finding the NativeLink binary", () => {
  it("without NATIVELINK_BIN or a lock file, fails saying how to get one", async () => {
    directory = mkdtempSync(join(tmpdir(), "e2e-binaries-"));
    const lockPath = join(directory, "images.lock.json");
    await expect(resolveBinary("nativelink", { env: {}, lockPath })).rejects.toThrow(
      new RegExp(
        `No nativelink binary for tests/e2e: NATIVELINK_BIN is not set and there is no ${lockPath} to download it from\\.\\n` +
          "Set NATIVELINK_BIN to an x86_64 Linux nativelink binary .*\\nor commit .*images\\.lock\\.json \\(npx nativelink-aws images lock",
      ),
    );
  });

  it("takes NATIVELINK_BIN when it is NativeLink 1.6.6, and refuses another version or a missing file", async () => {
    directory = mkdtempSync(join(tmpdir(), "e2e-binaries-"));
    fakeRelease("1.6.6");
    const binary = join(directory, "contents/nativelink");
    expect(await resolveBinary("nativelink", { env: { NATIVELINK_BIN: binary }, lockPath: join(directory, "none.json") })).toEqual({
      path: binary,
      source: "$NATIVELINK_BIN",
    });
    for (const other of ["1.5.0", "1.6.60", "11.6.6", "1.6.6-rc1"]) {
      fakeRelease(other);
      await expect(resolveBinary("nativelink", { env: { NATIVELINK_BIN: binary } })).rejects.toThrow(
        `\`--version\` printed "nativelink ${other}", expected version 1.6.6`,
      );
    }
    await expect(resolveBinary("nativelink", { env: { NATIVELINK_BIN: join(directory, "missing") } })).rejects.toThrow(
      /NATIVELINK_BIN=.*missing is not an executable file/,
    );
  });

  it("downloads the lock's x86_64 release once, checks its SHA-256 and unpacks nativelink into the cache", async () => {
    const { tarball, cacheDirectory, urls, resolve } = lockedRelease();
    const first = await resolve();
    const sha256 = createHash("sha256").update(tarball).digest("hex");
    expect(first.path).toBe(join(cacheDirectory, sha256, "nativelink"));
    expect(execFileSync(first.path, ["--version"], { encoding: "utf8" })).toBe("nativelink 1.6.6\n");
    expect(urls).toEqual(["https://releases.example.com/v1.6.6/nativelink-1.6.6-x86_64-unknown-linux-musl.tar.gz"]);
    await resolve();
    expect(urls).toHaveLength(1);
    expect(readFileSync(`${first.path}.sha256`, "utf8")).toBe(`${createHash("sha256").update(readFileSync(first.path)).digest("hex")}\n`);
  });

  it("hashes the cached binary again before each use, and downloads the release again when it changed", async () => {
    const { urls, resolve } = lockedRelease();
    const { path } = await resolve();
    writeFileSync(path, '#!/bin/sh\necho "nativelink 1.6.6"\necho changed > /dev/null\n');
    await resolve();
    expect(urls).toHaveLength(2);
    expect(readFileSync(path, "utf8")).toBe('#!/bin/sh\necho "nativelink 1.6.6"\n');
    // A binary without its recorded hash (cached before the hash was recorded) is downloaded again too.
    rmSync(`${path}.sha256`);
    await resolve();
    expect(urls).toHaveLength(3);
  });

  it("refuses a download whose SHA-256 is not the lock's, and unpacks nothing", async () => {
    const { cacheDirectory, resolve } = lockedRelease("0".repeat(64));
    await expect(resolve()).rejects.toThrow(
      new RegExp(
        "downloading https://releases\\.example\\.com/v1\\.6\\.6/nativelink-1\\.6\\.6-x86_64-unknown-linux-musl\\.tar\\.gz failed: " +
          "SHA-256 [0-9a-f]{64} differs from the lock's 0{64}; not unpacking it",
      ),
    );
    expect(existsSync(join(cacheDirectory, "0".repeat(64), "nativelink"))).toBe(false);
  });
});
