// The pure parts of `images lock`: what it downloads and whom it expects, the comparison of identities, what changed
// against the lock on disk, and the command-line checks that fail before any download.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_RELEASE_BASE_URLS, type ImagesLock } from "@nativelink-aws/nativelink-config";
import { describe, expect, it } from "vitest";
import { describeLockChanges } from "../src/images/lock-changes.js";
import { planRelease } from "../src/images/release-plan.js";
import { identityMismatches, type CertificateIdentity } from "../src/images/signer-identity.js";
import { runCli } from "./support/run-cli.js";

const plan = planRelease({
  nativelinkVersion: "1.6.6",
  otelcolVersion: "0.161.0",
  nativelinkReleaseBaseUrl: DEFAULT_RELEASE_BASE_URLS.nativelink,
  otelcolReleaseBaseUrl: DEFAULT_RELEASE_BASE_URLS.otelcol,
});

describe("planRelease", () => {
  it("downloads what each release workflow publishes, from <base>/v<version>/", () => {
    const nl = "https://github.com/TraceMachina/nativelink/releases/download/v1.6.6";
    expect(plan.nativelink.provenance.url).toBe(`${nl}/nativelink-1.6.6.intoto.jsonl`);
    expect(plan.nativelink.assets.arm64).toEqual({
      tarball: { name: "nativelink-1.6.6-aarch64-unknown-linux-musl.tar.gz", url: `${nl}/nativelink-1.6.6-aarch64-unknown-linux-musl.tar.gz` },
      signature: { name: "nativelink-1.6.6-aarch64-unknown-linux-musl.tar.gz.sig", url: `${nl}/nativelink-1.6.6-aarch64-unknown-linux-musl.tar.gz.sig` },
      certificate: { name: "nativelink-1.6.6-aarch64-unknown-linux-musl.tar.gz.pem", url: `${nl}/nativelink-1.6.6-aarch64-unknown-linux-musl.tar.gz.pem` },
    });
    const otel = "https://github.com/open-telemetry/opentelemetry-collector-releases/releases/download/v0.161.0";
    expect(plan.otelcol.assets.x86_64).toEqual({
      tarball: { name: "otelcol-contrib_0.161.0_linux_amd64.tar.gz", url: `${otel}/otelcol-contrib_0.161.0_linux_amd64.tar.gz` },
      checksum: { name: "otelcol-contrib_0.161.0_linux_amd64.tar.gz.sha256", url: `${otel}/otelcol-contrib_0.161.0_linux_amd64.tar.gz.sha256` },
      bundle: { name: "otelcol-contrib_0.161.0_linux_amd64.tar.gz.sigstore.json", url: `${otel}/otelcol-contrib_0.161.0_linux_amd64.tar.gz.sigstore.json` },
    });
  });

  it("expects NativeLink's provenance from the SLSA generator for NativeLink's release workflow at the tag", () => {
    expect(plan.nativelink.provenanceSigner).toMatchObject({
      issuer: "https://token.actions.githubusercontent.com",
      sourceRepository: "https://github.com/TraceMachina/nativelink",
      sourceRef: "refs/tags/v1.6.6",
      buildConfig: "https://github.com/TraceMachina/nativelink/.github/workflows/release.yaml@refs/tags/v1.6.6",
    });
    expect(plan.nativelink.assetSigner.subjectAlternativeName).toBe(
      "https://github.com/TraceMachina/nativelink/.github/workflows/release.yaml@refs/tags/v1.6.6",
    );
    expect(plan.otelcol.assetSigner.subjectAlternativeName).toBe(
      "https://github.com/open-telemetry/opentelemetry-collector-releases/.github/workflows/base-release.yaml@refs/tags/v0.161.0",
    );
  });
});

describe("identityMismatches", () => {
  const generator = "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0";
  const good: CertificateIdentity = {
    subjectAlternativeName: generator,
    issuer: "https://token.actions.githubusercontent.com",
    sourceRepository: "https://github.com/TraceMachina/nativelink",
    sourceRef: "refs/tags/v1.6.6",
    buildConfig: "https://github.com/TraceMachina/nativelink/.github/workflows/release.yaml@refs/tags/v1.6.6",
  };

  it("accepts the real identity, and any release tag of the generator", () => {
    expect(identityMismatches(good, plan.nativelink.provenanceSigner)).toEqual([]);
    expect(identityMismatches({ ...good, subjectAlternativeName: generator.replace("v2.1.0", "v2.2.13") }, plan.nativelink.provenanceSigner)).toEqual([]);
  });

  it.each<[string, Partial<CertificateIdentity>, string]>([
    ["a generator branch", { subjectAlternativeName: generator.replace("refs/tags/v2.1.0", "refs/heads/main") }, "signed by"],
    ["a generator fork", { subjectAlternativeName: generator.replace("slsa-framework", "slsa-framework-fork") }, "signed by"],
    ["text after the tag", { subjectAlternativeName: `${generator}x` }, "signed by"],
    ["a repository whose name starts the same", { sourceRepository: "https://github.com/TraceMachina/nativelink-fork" }, "source repository"],
    ["a tag whose name starts the same", { sourceRef: "refs/tags/v1.6.66" }, "source ref"],
    ["no source repository extension", { sourceRepository: undefined }, "source repository nothing"],
    ["another issuer", { issuer: "https://gitlab.com" }, "certificate issuer"],
  ])("refuses %s", (_name, change, problem) => {
    const problems = identityMismatches({ ...good, ...change }, plan.nativelink.provenanceSigner);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
  });

  it("compares an exact SAN exactly", () => {
    const workflow = "https://github.com/TraceMachina/nativelink/.github/workflows/release.yaml@refs/tags/v1.6.6";
    const identity = { ...good, subjectAlternativeName: workflow };
    expect(identityMismatches(identity, plan.nativelink.assetSigner)).toEqual([]);
    expect(identityMismatches({ ...identity, subjectAlternativeName: `${workflow}-rc1` }, plan.nativelink.assetSigner)).toHaveLength(1);
  });
});

describe("describeLockChanges", () => {
  const digest = (seed: string) => seed.repeat(64);
  const lock = (nativelinkVersion: string, x86Digest = "a", otelcolBase = DEFAULT_RELEASE_BASE_URLS.otelcol, verifiedBy = "checked"): ImagesLock => ({
    format: 1,
    lockedAt: "2026-12-01T00:00:00.000Z",
    lockedBy: "nativelink-aws images lock 0.1.0",
    nativelink: {
      version: nativelinkVersion,
      releaseBaseUrl: DEFAULT_RELEASE_BASE_URLS.nativelink,
      verifiedBy: [verifiedBy],
      assets: {
        x86_64: { name: `nativelink-${nativelinkVersion}-x86_64-unknown-linux-musl.tar.gz`, sha256: digest(x86Digest), size: 1 },
        arm64: { name: `nativelink-${nativelinkVersion}-aarch64-unknown-linux-musl.tar.gz`, sha256: digest("b"), size: 1 },
      },
    },
    otelcol: {
      version: "0.161.0",
      releaseBaseUrl: otelcolBase,
      verifiedBy: ["checked"],
      assets: {
        x86_64: { name: "otelcol-contrib_0.161.0_linux_amd64.tar.gz", sha256: digest("c"), size: 1 },
        arm64: { name: "otelcol-contrib_0.161.0_linux_arm64.tar.gz", sha256: digest("d"), size: 1 },
      },
    },
  });

  it.each<[string, Parameters<typeof describeLockChanges>[0], ImagesLock, string[]]>([
    ["no lock before", { kind: "none" }, lock("1.6.6"), ["new lock file"]],
    [
      "a lock that did not parse",
      { kind: "invalid", problem: "x is not JSON\nmore" },
      lock("1.6.6"),
      ["replaces a lock file that did not parse (x is not JSON)"],
    ],
    ["the same releases", { kind: "valid", lock: lock("1.6.6") }, { ...lock("1.6.6"), lockedAt: "2027-01-01T00:00:00.000Z" }, ["no change"]],
    [
      "a new verification record only",
      { kind: "valid", lock: lock("1.6.6") },
      lock("1.6.6", "a", DEFAULT_RELEASE_BASE_URLS.otelcol, "checked more"),
      ["no change to versions or digests; the verification record is updated"],
    ],
    ["a new version", { kind: "valid", lock: lock("1.6.5") }, lock("1.6.6"), ["nativelink: 1.6.5 -> 1.6.6"]],
    [
      "a replaced asset",
      { kind: "valid", lock: lock("1.6.6") },
      lock("1.6.6", "e"),
      [
        "nativelink 1.6.6 x86_64: SHA-256 aaaaaaaaaaaa… -> eeeeeeeeeeee… for the same version: " +
          "the published asset was replaced; find out why before committing",
      ],
    ],
    [
      "a mirror",
      { kind: "valid", lock: lock("1.6.6") },
      lock("1.6.6", "a", "https://mirror.example.com/otelcol"),
      [`otelcol-contrib: downloads from https://mirror.example.com/otelcol (was ${DEFAULT_RELEASE_BASE_URLS.otelcol})`],
    ],
  ])("%s", (_name, previous, next, expected) => {
    expect(describeLockChanges(previous, next)).toEqual(expected);
  });
});

describe("images lock: bad command lines fail before any download (exit 2)", () => {
  const dir = mkdtempSync(join(tmpdir(), "images-flags-"));
  mkdirSync(join(dir, "a-directory"));
  writeFileSync(join(dir, "not-a-root.json"), JSON.stringify({ mediaType: "application/json" }));
  // An unreachable mirror: a flag problem must be reported before anything is fetched.
  const offline = ["--nativelink-release-base-url", "http://127.0.0.1:9", "--otelcol-release-base-url", "http://127.0.0.1:9"];

  it.each([
    [["--nativelink-version", "1.6"], '--nativelink-version: is not a release version such as 1.6.6 (a leading "v" is accepted)'],
    [["--otelcol-version", "0.157.0"], "--otelcol-version: publishes no Sigstore bundle before 0.158.0; use 0.158.0 or later"],
    [
      ["--nativelink-release-base-url", "http://mirror.example.com/nativelink"],
      "--nativelink-release-base-url: expected an https URL (or http://127.0.0.1 / localhost for a mirror on this machine)",
    ],
    [["--timeout-seconds", "0"], '--timeout-seconds: "0" is less than 1, e.g. 30'],
    [["--out", "missing-dir/images.lock.json"], "--out missing-dir/images.lock.json: the directory"],
    [["--out", "a-directory"], "--out a-directory: is a directory; pass a file path such as a-directory/images.lock.json"],
    [["--trusted-root", "nowhere.json"], "--trusted-root nowhere.json: cannot read it (ENOENT); pass a Sigstore trusted_root.json"],
    [
      ["--trusted-root", "not-a-root.json"],
      "--trusted-root not-a-root.json: mediaType expected a Sigstore trusted root (mediaType application/vnd.dev.sigstore.trustedroot+json); " +
        "tlogs is missing or not a list",
    ],
  ])("%j", async (flags, message) => {
    const result = await runCli(["images", "lock", ...offline, ...flags], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it("--help lists the flags, their defaults, what is verified and the exit codes", async () => {
    const result = await runCli(["images", "lock", "--help"]);
    expect(result.code).toBe(0);
    for (const text of [
      /--nativelink-version <version> +NativeLink release \(default: "1\.6\.6"\)/,
      /--otelcol-version <version> /,
      /\(default: "0\.161\.0"\)/,
      /--out <file> +the lock file to write \(default:\s+"images\.lock\.json"\)/,
      /--nativelink-release-base-url <url>/,
      /--otelcol-release-base-url <url>/,
      /--trusted-root <file>/,
      /--timeout-seconds <n>/,
      /Exit codes: 0 verified and written/,
      /On any failure nothing is written\./,
    ])
      expect(result.stdout).toMatch(text);
    expect((await runCli(["--help"])).stdout).toMatch(/^ {2}images /m);
  });
});
