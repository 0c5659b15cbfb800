// `images lock` against a local mirror serving generated releases signed by a test Sigstore: what is written when
// everything verifies, and that nothing is written (an existing lock stays byte for byte) when anything does not.
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseImagesLock, releaseAssetName } from "@nativelink-aws/nativelink-config";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OTELCOL_REPOSITORY, publishFakeReleases, realIdentities, SLSA_GENERATOR, type FakeReleases } from "./support/fake-releases.js";
import { ReleaseServer } from "./support/release-server.js";
import { runCli } from "./support/run-cli.js";
import { TestSigstore } from "./support/test-sigstore.js";

let sigstore: TestSigstore;
let server: ReleaseServer;
let dir: string;
let trustedRoot: string;

beforeAll(async () => {
  sigstore = await TestSigstore.create();
});

beforeEach(async () => {
  server = await ReleaseServer.start();
  dir = mkdtempSync(join(tmpdir(), "images-lock-"));
  trustedRoot = join(dir, "trusted_root.json");
  writeFileSync(trustedRoot, JSON.stringify(sigstore.trustedRoot()));
});

afterEach(async () => {
  await server.close();
});

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

type Mirror = Pick<FakeReleases, "nativelinkVersion" | "otelcolVersion" | "nativelinkBaseUrl" | "otelcolBaseUrl">;

function lockArgs(releases: Mirror, extra: readonly string[] = []): string[] {
  return [
    "images",
    "lock",
    "--nativelink-version",
    releases.nativelinkVersion,
    "--otelcol-version",
    releases.otelcolVersion,
    "--nativelink-release-base-url",
    releases.nativelinkBaseUrl,
    "--otelcol-release-base-url",
    releases.otelcolBaseUrl,
    "--trusted-root",
    trustedRoot,
    "--out",
    "images.lock.json",
    ...extra,
  ];
}

/** Writes a lock from a good release, then returns its bytes: the "existing lock" of the failure tests. */
async function existingLock(): Promise<Buffer> {
  const other = await ReleaseServer.start();
  try {
    const good = await publishFakeReleases(other, sigstore, { nativelinkVersion: "1.6.5", otelcolVersion: "0.160.0" });
    const result = await runCli(lockArgs(good), { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    return readFileSync(join(dir, "images.lock.json"));
  } finally {
    await other.close();
  }
}

describe("images lock: a release that verifies", () => {
  it("writes a lock with each asset's SHA-256 and size and what was verified, that parses back", async () => {
    const releases = await publishFakeReleases(server, sigstore);
    const result = await runCli(lockArgs(releases), { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);

    const text = readFileSync(join(dir, "images.lock.json"), "utf8");
    const lock = parseImagesLock(text, "images.lock.json");
    for (const tool of ["nativelink", "otelcol"] as const) {
      for (const architecture of ["x86_64", "arm64"] as const) {
        const version = tool === "nativelink" ? "1.6.6" : "0.161.0";
        const name = releaseAssetName(tool, version, architecture);
        const bytes = releases.tarballs.get(name)!;
        expect(lock[tool].assets[architecture]).toEqual({ name, sha256: sha256(bytes), size: bytes.length });
      }
    }
    expect(lock.nativelink).toMatchObject({ version: "1.6.6", releaseBaseUrl: releases.nativelinkBaseUrl });
    expect(lock.otelcol).toMatchObject({ version: "0.161.0", releaseBaseUrl: releases.otelcolBaseUrl });
    expect(lock.lockedBy).toMatch(/^nativelink-aws images lock \d+\.\d+\.\d+$/);

    const [provenance, cosign] = lock.nativelink.verifiedBy;
    expect(provenance).toContain("SLSA provenance nativelink-1.6.6.intoto.jsonl: Sigstore bundle verified against the trusted root");
    expect(provenance).toContain(`signed by ${SLSA_GENERATOR}`);
    expect(provenance).toContain("for https://github.com/TraceMachina/nativelink at refs/tags/v1.6.6");
    expect(provenance).toContain("transparency log index 0, logged 20");
    expect(cosign).toContain("to https://github.com/TraceMachina/nativelink/.github/workflows/release.yaml@refs/tags/v1.6.6");
    expect(cosign).toContain("not looked up in the transparency log");
    expect(lock.otelcol.verifiedBy[0]).toContain(`signed by ${OTELCOL_REPOSITORY}/.github/workflows/base-release.yaml@refs/tags/v0.161.0`);
    expect(lock.otelcol.verifiedBy[1]).toContain(".sha256");

    expect(result.stdout).toContain(`x86_64 nativelink-1.6.6-x86_64-unknown-linux-musl.tar.gz  sha256 ${lock.nativelink.assets.x86_64.sha256}`);
    expect(result.stdout).toContain(
      "nativelink 1.6.6: SLSA provenance from slsa-github-generator v2.1.0 for TraceMachina/nativelink@refs/tags/v1.6.6 " +
        "lists both tarballs; their cosign .sig/.pem verify",
    );
    expect(result.stdout).toContain(
      "otelcol-contrib 0.161.0: Sigstore bundles from opentelemetry-collector-releases base-release.yaml@refs/tags/v0.161.0 " +
        "sign both tarballs; the .sha256 files agree",
    );
    expect(result.stdout).toContain(`verified against the trusted root ${trustedRoot} (sha256 `);
    expect(result.stdout).toContain("changes: new lock file");
    expect(result.stdout).toContain("wrote images.lock.json; commit it with the app");
  });

  it("names what changed against the existing lock, and leaves an up-to-date lock as it was", async () => {
    await existingLock();
    const releases = await publishFakeReleases(server, sigstore);
    const moved = await runCli(lockArgs(releases), { cwd: dir });
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toContain(`changes: nativelink: 1.6.5 -> 1.6.6; nativelink: downloads from ${releases.nativelinkBaseUrl} (was http://127.0.0.1:`);
    expect(moved.stdout).toContain("otelcol-contrib: 0.160.0 -> 0.161.0");

    const path = join(dir, "images.lock.json");
    const written = readFileSync(path);
    const mtime = statSync(path).mtimeMs;
    const same = await runCli(lockArgs(releases), { cwd: dir });
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toContain("changes: no change");
    expect(same.stdout).toContain("images.lock.json is up to date; left as it was");
    expect(readFileSync(path)).toEqual(written);
    expect(statSync(path).mtimeMs).toBe(mtime);
  });

  it('accepts versions with a leading "v" and base URLs with a trailing slash', async () => {
    const releases = await publishFakeReleases(server, sigstore);
    const args = lockArgs(releases, [
      "--nativelink-version",
      "v1.6.6",
      "--otelcol-version",
      "v0.161.0",
      "--nativelink-release-base-url",
      `${releases.nativelinkBaseUrl}/`,
    ]);
    const result = await runCli(args, { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(parseImagesLock(readFileSync(join(dir, "images.lock.json"), "utf8"), "x").nativelink.releaseBaseUrl).toBe(releases.nativelinkBaseUrl);
  });
});

/** Runs the command against a release changed by `spoil`; the existing lock must come out byte for byte. */
async function refused(releases: FakeReleases, extra: readonly string[] = [], signal?: AbortSignal) {
  const before = await existingLock();
  const started = Date.now();
  const result = await runCli(lockArgs(releases, extra), { cwd: dir, signal });
  expect(readFileSync(join(dir, "images.lock.json"))).toEqual(before);
  expect(readdirSync(dir).sort()).toEqual(["images.lock.json", "trusted_root.json"]);
  expect(result.stdout).toBe("");
  return { ...result, seconds: (Date.now() - started) / 1000 };
}

const NL_X86 = "nativelink-1.6.6-x86_64-unknown-linux-musl.tar.gz";
const OTEL_ARM = "otelcol-contrib_0.161.0_linux_arm64.tar.gz";

describe("images lock: refused, nothing written", () => {
  it("a NativeLink tarball that is not the one the provenance lists (exit 1)", async () => {
    const releases = await publishFakeReleases(server, sigstore);
    server.files.set(releases.path("nativelink", NL_X86), Buffer.from("tampered"));
    const result = await refused(releases);
    expect(result.code).toBe(1);
    const tampered = sha256(Buffer.from("tampered"));
    expect(result.stderr).toContain(`${releases.nativelinkBaseUrl}/v1.6.6/${NL_X86}: SHA-256 ${tampered}, but the SLSA provenance lists`);
    expect(result.stderr).toContain("Nothing was written.");
  });

  it("an otelcol-contrib tarball its Sigstore bundle does not sign (exit 1)", async () => {
    const releases = await publishFakeReleases(server, sigstore);
    server.files.set(releases.path("otelcol", OTEL_ARM), Buffer.from("tampered"));
    const result = await refused(releases);
    expect(result.code).toBe(1);
    const release = `${releases.otelcolBaseUrl}/v0.161.0`;
    expect(result.stderr).toContain(`${release}/${OTEL_ARM}.sigstore.json: signs a different SHA-256 than ${release}/${OTEL_ARM} has`);
  });

  it("an otelcol-contrib bundle that names the tarball's digest but signs other bytes (exit 1)", async () => {
    const releases = await publishFakeReleases(server, sigstore);
    const signer = await sigstore.issue(realIdentities("1.6.6", "0.161.0").otelcolAssets);
    const forged = sigstore.messageSignatureBundle(releases.tarballs.get(OTEL_ARM)!, signer, Buffer.from("other bytes"));
    server.files.set(releases.path("otelcol", `${OTEL_ARM}.sigstore.json`), Buffer.from(JSON.stringify(forged)));
    const result = await refused(releases);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${OTEL_ARM}.sigstore.json: does not verify against the trusted root`);
    expect(result.stderr).toContain("SIGNATURE_ERROR: signature verification failed");
  });

  it("a published .sha256 that disagrees with the signed tarball (exit 1)", async () => {
    const releases = await publishFakeReleases(server, sigstore);
    server.files.set(releases.path("otelcol", `${OTEL_ARM}.sha256`), Buffer.from("0".repeat(64)));
    const result = await refused(releases);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${OTEL_ARM}.sha256: says ${"0".repeat(64)}, but`);
  });

  it("a cosign .sig that does not verify over the tarball (exit 1)", async () => {
    const releases = await publishFakeReleases(server, sigstore);
    const otherSignature = server.files.get(releases.path("nativelink", "nativelink-1.6.6-aarch64-unknown-linux-musl.tar.gz.sig"));
    server.files.set(releases.path("nativelink", `${NL_X86}.sig`), otherSignature!);
    const result = await refused(releases);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${NL_X86}.sig: the signature does not verify over`);
  });

  const real = realIdentities("1.6.6", "0.161.0");
  it.each([
    [
      "provenance from another repository",
      { provenance: { ...real.provenance, sourceRepository: "https://github.com/someone/nativelink" } },
      "source repository https://github.com/someone/nativelink, expected https://github.com/TraceMachina/nativelink",
    ],
    [
      "provenance for another tag",
      { provenance: { ...realIdentities("1.6.5", "0.161.0").provenance } },
      "source ref refs/tags/v1.6.5, expected refs/tags/v1.6.6",
    ],
    [
      "provenance from a branch build of the release workflow",
      {
        provenance: { ...real.provenance, buildConfig: "https://github.com/TraceMachina/nativelink/.github/workflows/release.yaml@refs/heads/main" },
      },
      "workflow https://github.com/TraceMachina/nativelink/.github/workflows/release.yaml@refs/heads/main, expected",
    ],
    [
      "provenance signed by the release workflow instead of the SLSA generator",
      { provenance: real.nativelinkAssets },
      `signed by ${real.nativelinkAssets.san}, expected /^https:\\/\\/github\\.com\\/slsa-framework`,
    ],
    [
      "cosign certificate of another workflow",
      { nativelinkAssets: { ...real.nativelinkAssets, san: real.nativelinkAssets.san.replace("release.yaml", "other.yaml") } },
      "cosign certificate",
    ],
    [
      "otelcol bundle signed at another tag",
      { otelcolAssets: realIdentities("1.6.6", "0.160.0").otelcolAssets },
      "signed by https://github.com/open-telemetry/opentelemetry-collector-releases/.github/workflows/base-release.yaml@refs/tags/v0.160.0, expected",
    ],
    [
      "otelcol bundle from another issuer",
      { otelcolAssets: { ...real.otelcolAssets, issuer: "https://accounts.google.com" } },
      "certificate issuer https://accounts.google.com, expected https://token.actions.githubusercontent.com",
    ],
  ] as const)("%s (exit 1)", async (_name, identities, message) => {
    const releases = await publishFakeReleases(server, sigstore, { identities });
    const result = await refused(releases);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("not signed by the expected identity");
    expect(result.stderr).toContain(message);
  });

  it("provenance certified by a CA the trusted root does not list (exit 1)", async () => {
    const releases = await publishFakeReleases(server, sigstore, { provenanceSigstore: await TestSigstore.create("other") });
    const result = await refused(releases);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("nativelink-1.6.6.intoto.jsonl: does not verify against the trusted root");
    expect(result.stderr).toMatch(/trusted_root\.json \(sha256 [0-9a-f]{16}…\): CERTIFICATE_ERROR/);
  });

  it("without --trusted-root, the shipped public-good root (read offline) does not vouch for the test CA (exit 1)", async () => {
    const releases = await publishFakeReleases(server, sigstore);
    const before = await existingLock();
    const args = lockArgs(releases).filter((_, index, all) => all[index] !== "--trusted-root" && all[index - 1] !== "--trusted-root");
    const result = await runCli(args, { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/does not verify against the Sigstore public-good trusted root shipped in @sigstore\/tuf \d+\.\d+\.\d+ \(sha256 /);
    expect(result.stderr).toContain("CERTIFICATE_ERROR");
    expect(readFileSync(join(dir, "images.lock.json"))).toEqual(before);
  });

  it("a missing file: HTTP 404 names the URL (exit 3)", async () => {
    const releases = await publishFakeReleases(server, sigstore);
    server.files.delete(releases.path("otelcol", OTEL_ARM));
    const result = await refused(releases);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      `GET ${releases.otelcolBaseUrl}/v0.161.0/${OTEL_ARM}: HTTP 404 Not Found; check the version, ` +
        "and that a mirror keeps the <base>/v<version>/<file> layout",
    );
    expect(result.stderr).toContain("Nothing was written.");
  });

  it("a server that never answers is given up on after --timeout-seconds (exit 3)", async () => {
    const releases = await publishFakeReleases(server, sigstore);
    server.files.set(releases.path("nativelink", "nativelink-1.6.6.intoto.jsonl"), "hang");
    const result = await refused(releases, ["--timeout-seconds", "1"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      `GET ${releases.nativelinkBaseUrl}/v1.6.6/nativelink-1.6.6.intoto.jsonl: the server sent nothing for 1 s; ` +
        "check the network or the mirror, or raise --timeout-seconds",
    );
    expect(result.seconds).toBeLessThan(5);
  });

  it("a server that stops sending in the middle of a tarball is given up on too (exit 3)", async () => {
    const releases = await publishFakeReleases(server, sigstore);
    server.files.set(releases.path("otelcol", OTEL_ARM), "hang-after-headers");
    const result = await refused(releases, ["--timeout-seconds", "1"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${OTEL_ARM}: the server sent nothing for 1 s`);
    expect(result.seconds).toBeLessThan(5);
  });

  it("interrupted while a tarball downloads (exit 130)", async () => {
    const releases = await publishFakeReleases(server, sigstore);
    server.files.set(releases.path("nativelink", NL_X86), "hang-after-headers");
    const controller = new AbortController();
    const interrupt = setInterval(() => {
      if (server.requests.includes(releases.path("nativelink", NL_X86))) controller.abort();
    }, 20);
    try {
      const result = await refused(releases, [], controller.signal);
      expect(result.code).toBe(130);
      expect(result.stderr).toContain(`interrupted while downloading ${releases.nativelinkBaseUrl}/v1.6.6/${NL_X86}; nothing was written`);
    } finally {
      clearInterval(interrupt);
    }
  });

  it("a mirror that is gone: the connection error names the URL (exit 3)", async () => {
    const releases = await publishFakeReleases(server, sigstore);
    await server.close();
    server = await ReleaseServer.start();
    const result = await refused(releases);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/(nativelink|otelcol)\/v[\d.]+\/\S+: /);
  });
});

describe("images lock: README", () => {
  it("the example command line writes a lock (pointed at the local mirror and test root)", async () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const example = /## images lock\n\n```sh\n(nativelink-aws images lock [^\n]*)\n```/.exec(readme)![1]!;
    const releases = await publishFakeReleases(server, sigstore);
    const mirror = ["--nativelink-release-base-url", releases.nativelinkBaseUrl, "--otelcol-release-base-url", releases.otelcolBaseUrl];
    mirror.push("--trusted-root", trustedRoot);
    const result = await runCli([...example.split(/\s+/).slice(1), ...mirror], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const lock = parseImagesLock(readFileSync(join(dir, "images.lock.json"), "utf8"), "images.lock.json");
    expect([lock.nativelink.version, lock.otelcol.version]).toEqual(["1.6.6", "0.161.0"]);
  });

  it("shows a progress bar per tarball when stderr is a terminal", async () => {
    const releases = await publishFakeReleases(server, sigstore);
    const result = await runCli(lockArgs(releases), { cwd: dir, stderrTty: true });
    expect(result.code, result.stderr).toBe(0);
    for (const [name, bytes] of releases.tarballs) {
      const kib = `${(bytes.length / 1024).toFixed(0)} KiB`;
      expect(result.stderr).toContain(`] 100% ${kib} of ${kib}  ${name.slice(0, 20)}`);
    }
  });
});
