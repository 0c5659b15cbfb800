import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bootstrapComponent, nativelinkComponent, nativelinkReleaseUrl, unitsComponent, type ComponentSpec } from "../src/components.js";
import { AWS_CLI_KEY_FINGERPRINT, awsCliComponent, awsCliUrl, drainWatcherComponent, drainWatcherUnitComponent } from "../src/drain-components.js";
import { INSTALL_PATHS, imageFile } from "../src/image-files.js";
import { CLOUDWATCH_AGENT_KEY_FINGERPRINT, cloudWatchComponent, otelcolComponent, otelcolConfig } from "../src/observability-components.js";
import { bakeSettings, componentSteps, step } from "./helpers/bake.js";

/** curl that serves `<downloads>/<last URL segment>` to `--output` and logs the URLs it was asked for. */
const FAKE_CURL = `#!/usr/bin/env bash
set -euo pipefail
output=""
while [[ $# -gt 1 ]]; do
  if [[ "$1" == --output ]]; then output="$2"; shift; fi
  shift
done
echo "$1" >>"$FAKE_DOWNLOADS/curl.log"
[[ -f "$FAKE_DOWNLOADS/$(basename "$1")" ]] || { echo "curl: (22) 404" >&2; exit 22; }
cp "$FAKE_DOWNLOADS/$(basename "$1")" "$output"
`;

/** gpg whose signature check reports the fingerprint in $FAKE_GPG_FINGERPRINT; dpkg that only logs. */
const FAKE_GPG = `#!/usr/bin/env bash
if [[ " $* " == *" --verify "* ]]; then echo "[GNUPG:] VALIDSIG 0000 2024-01-01 0 0 4 0 1 8 00 $FAKE_GPG_FINGERPRINT"; fi
`;
const FAKE_DPKG = `#!/usr/bin/env bash\necho "dpkg $*" >>"$FAKE_DOWNLOADS/dpkg.log"\n`;
/** unzip that unpacks an AWS CLI installer which only logs how it was called. */
const FAKE_UNZIP = `#!/usr/bin/env bash
set -euo pipefail
destination="\${*: -1}"
mkdir -p "$destination/aws"
printf '#!/usr/bin/env bash\\necho "install $*" >>"$FAKE_DOWNLOADS/install.log"\\n' >"$destination/aws/install"
chmod +x "$destination/aws/install"
`;

let work: string;
let downloads: string;
let destdir: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "nativelink-steps-"));
  downloads = join(work, "downloads");
  destdir = join(work, "destdir");
  const bin = join(work, "bin");
  for (const directory of [downloads, destdir, bin]) mkdirSync(directory);
  for (const [name, body] of [
    ["curl", FAKE_CURL],
    ["gpg", FAKE_GPG],
    ["dpkg", FAKE_DPKG],
    ["unzip", FAKE_UNZIP],
  ] as const) {
    writeFileSync(join(bin, name), body);
    chmodSync(join(bin, name), 0o755);
  }
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

function runStep(spec: ComponentSpec, name: string, env: Record<string, string> = {}) {
  const result = spawnSync("bash", ["-c", step(spec, name).script], {
    env: { PATH: `${join(work, "bin")}:${process.env.PATH ?? ""}`, DESTDIR: destdir, FAKE_DOWNLOADS: downloads, ...env },
    encoding: "utf8",
  });
  return { code: result.status, stderr: result.stderr };
}

/** A release tarball holding one executable, the way upstream packs it; returns its SHA-256. */
function releaseTarball(url: string, binary: string, member: string): string {
  const staging = join(work, "staging");
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, binary), `#!/bin/sh\necho ${binary} fake\n`);
  writeFileSync(join(staging, "LICENSE"), "license\n");
  const archive = join(downloads, basename(url));
  expect(spawnSync("tar", ["-czf", archive, "-C", staging, member, "LICENSE"]).status).toBe(0);
  return createHash("sha256").update(readFileSync(archive)).digest("hex");
}

describe("component build steps, run for real against fake downloads", () => {
  it("installs NativeLink when the tarball's SHA-256 matches", () => {
    const url = nativelinkReleaseUrl(bakeSettings(), "x86_64");
    const sha256 = releaseTarball(url, "nativelink", "nativelink");
    const settings = bakeSettings({ nativelinkSha256: { x86_64: sha256, arm64: "0".repeat(64) } });
    const result = runStep(nativelinkComponent(settings, "x86_64"), "InstallNativeLink");
    expect(result.code, result.stderr).toBe(0);
    const installed = join(destdir, INSTALL_PATHS.nativelink);
    expect(readFileSync(installed, "utf8")).toBe("#!/bin/sh\necho nativelink fake\n");
    expect(statSync(installed).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(downloads, "curl.log"), "utf8")).toBe(`${url}\n`);
  });

  it("fails the bake, installing nothing, when the SHA-256 differs", () => {
    const url = nativelinkReleaseUrl(bakeSettings(), "arm64");
    const actual = releaseTarball(url, "nativelink", "nativelink");
    const result = runStep(nativelinkComponent(bakeSettings(), "arm64"), "InstallNativeLink");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`SHA-256 mismatch for ${url}: got ${actual}, expected ${"2".repeat(64)}; refusing to install`);
    expect(existsSync(join(destdir, INSTALL_PATHS.nativelink))).toBe(false);
  });

  it("fails the bake when the download fails", () => {
    const result = runStep(nativelinkComponent(bakeSettings(), "arm64"), "InstallNativeLink");
    expect(result.code).toBe(22);
  });

  it("installs otelcol-contrib from a tarball that stores ./otelcol-contrib", () => {
    const settings = bakeSettings();
    const spec = otelcolComponent(settings, "arm64");
    const url = /'(https:[^']+)'/.exec(step(spec, "InstallCollector").script)?.[1] ?? "";
    const sha256 = releaseTarball(url, "otelcol-contrib", "./otelcol-contrib");
    const result = runStep(otelcolComponent(bakeSettings({ otelcolSha256: { x86_64: "0".repeat(64), arm64: sha256 } }), "arm64"), "InstallCollector");
    expect(result.code, result.stderr).toBe(0);
    expect(statSync(join(destdir, INSTALL_PATHS.otelcol)).mode & 0o777).toBe(0o755);
  });

  it("writes every shipped file byte for byte, with its mode", () => {
    const settings = bakeSettings({ stopTimeoutSeconds: 5400, metricsPort: 9500, logGroupName: "/ci/nativelink" });
    const specs = [
      bootstrapComponent(settings),
      unitsComponent(settings),
      drainWatcherComponent(settings),
      drainWatcherUnitComponent(settings),
      otelcolComponent(settings, "x86_64"),
      cloudWatchComponent(settings, "x86_64"),
    ];
    for (const spec of specs) {
      for (const parsed of componentSteps(spec).filter((candidate) => candidate.script.startsWith("set -euo pipefail\ninstall -D"))) {
        const result = runStep(spec, parsed.name);
        expect(result.code, `${spec.name} ${parsed.name}: ${result.stderr}`).toBe(0);
      }
    }
    const expected: [string, string, number][] = [
      [INSTALL_PATHS.bootstrap, imageFile("bin/nativelink-bootstrap"), 0o755],
      [INSTALL_PATHS.platformProperty, imageFile("bin/nativelink-platform-property"), 0o755],
      [INSTALL_PATHS.bootstrapUnit, imageFile("systemd/nativelink-bootstrap.service"), 0o644],
      [INSTALL_PATHS.nativelinkUnit, imageFile("systemd/nativelink.service"), 0o644],
      [INSTALL_PATHS.stopTimeoutDropIn, expect.stringContaining("[Service]\nTimeoutStopSec=5400\n") as unknown as string, 0o644],
      [INSTALL_PATHS.cloudInit, imageFile("cloud-init/90-nativelink.cfg"), 0o644],
      [INSTALL_PATHS.drainWatcher, imageFile("bin/nativelink-drain-watcher"), 0o755],
      [INSTALL_PATHS.drainWatcherUnit, imageFile("systemd/nativelink-drain-watcher.service"), 0o644],
      [INSTALL_PATHS.otelcolUnit, imageFile("systemd/nativelink-otelcol.service"), 0o644],
      [INSTALL_PATHS.otelcolConfig, otelcolConfig(9500), 0o644],
      [INSTALL_PATHS.rsyslog, imageFile("cloudwatch/rsyslog-nativelink.conf"), 0o644],
      [INSTALL_PATHS.logrotate, imageFile("cloudwatch/logrotate-nativelink"), 0o644],
      [INSTALL_PATHS.cloudWatchConfig, expect.stringContaining('"log_group_name": "/ci/nativelink"') as unknown as string, 0o644],
    ];
    for (const [path, content, mode] of expected) {
      expect(readFileSync(join(destdir, path), "utf8"), path).toEqual(content);
      expect(statSync(join(destdir, path)).mode & 0o777, path).toBe(mode);
    }
  });

  it.each([
    ["AWS's key", CLOUDWATCH_AGENT_KEY_FINGERPRINT, 0],
    ["another key", "0123456789ABCDEF0123456789ABCDEF01234567", 1],
  ])("installs the CloudWatch agent only when signed by %s", (_, fingerprint, code) => {
    for (const name of ["amazon-cloudwatch-agent.deb", "amazon-cloudwatch-agent.deb.sig", "amazon-cloudwatch-agent.gpg"])
      writeFileSync(join(downloads, name), name);
    const result = runStep(cloudWatchComponent(bakeSettings(), "arm64"), "InstallCloudWatchAgent", { FAKE_GPG_FINGERPRINT: fingerprint });
    expect(result.code, result.stderr).toBe(code);
    expect(existsSync(join(downloads, "dpkg.log"))).toBe(code === 0);
    expect(readFileSync(join(downloads, "curl.log"), "utf8")).toContain(
      "https://amazoncloudwatch-agent.s3.amazonaws.com/ubuntu/arm64/latest/amazon-cloudwatch-agent.deb\n",
    );
    if (code !== 0) expect(result.stderr).toMatch(/not signed by AWS's key; refusing to install/);
  });

  it.each([
    ["AWS's key", AWS_CLI_KEY_FINGERPRINT, 0],
    ["another key", "0123456789ABCDEF0123456789ABCDEF01234567", 1],
  ])("installs the AWS CLI only when signed by %s", (_, fingerprint, code) => {
    for (const name of ["awscli-exe-linux-aarch64.zip", "awscli-exe-linux-aarch64.zip.sig"]) writeFileSync(join(downloads, name), name);
    const result = runStep(awsCliComponent(bakeSettings(), "arm64"), "InstallAwsCli", { FAKE_GPG_FINGERPRINT: fingerprint });
    expect(result.code, result.stderr).toBe(code);
    expect(readFileSync(join(downloads, "curl.log"), "utf8")).toBe(`${awsCliUrl("arm64")}\n${awsCliUrl("arm64")}.sig\n`);
    if (code === 0) {
      expect(readFileSync(join(downloads, "install.log"), "utf8")).toBe("install --bin-dir /usr/local/bin --install-dir /usr/local/aws-cli --update\n");
    } else {
      expect(existsSync(join(downloads, "install.log"))).toBe(false);
      expect(result.stderr).toContain(`${awsCliUrl("arm64")} is not signed by the AWS CLI key ${AWS_CLI_KEY_FINGERPRINT}; refusing to install`);
    }
  });

  it("fails the bake when the AWS CLI download fails", () => {
    const result = runStep(awsCliComponent(bakeSettings(), "x86_64"), "InstallAwsCli", { FAKE_GPG_FINGERPRINT: AWS_CLI_KEY_FINGERPRINT });
    expect(result.code).toBe(22);
    expect(existsSync(join(downloads, "install.log"))).toBe(false);
  });
});

const hasGpg = spawnSync("gpg", ["--version"]).status === 0;

describe.skipIf(!hasGpg)("the AWS CLI's signing key, with the real gpg", () => {
  it("is AWS's key: the published fingerprint, a valid self-signature", () => {
    const home = join(work, "gnupg");
    mkdirSync(home, { mode: 0o700 });
    const gpg = (...args: string[]) =>
      spawnSync("gpg", ["--batch", "--homedir", home, ...args], { encoding: "utf8", input: imageFile("awscli/aws-cli-public-key.asc") });
    const shown = gpg("--with-colons", "--show-keys");
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout.split("\n").filter((line) => line.startsWith("fpr:"))).toEqual([`fpr:::::::::${AWS_CLI_KEY_FINGERPRINT}:`]);
    expect(gpg("--import").status).toBe(0);
    const checked = gpg("--with-colons", "--check-signatures", AWS_CLI_KEY_FINGERPRINT);
    expect(checked.stdout).toMatch(/^sig:!:/m);
  });

  it("the install step imports it and refuses an installer signed by another key", () => {
    // A throwaway signing key, outside the step's own keyring.
    const home = join(work, "signer");
    mkdirSync(home, { mode: 0o700 });
    const signer = (...args: string[]) =>
      spawnSync("gpg", ["--batch", "--homedir", home, "--passphrase", "", "--pinentry-mode", "loopback", ...args], { encoding: "utf8" });
    expect(signer("--quick-gen-key", "Not AWS <not-aws@example.invalid>", "ed25519", "sign", "never").status).toBe(0);
    const zip = join(downloads, "awscli-exe-linux-x86_64.zip");
    writeFileSync(zip, "not the AWS CLI");
    expect(signer("--output", `${zip}.sig`, "--detach-sign", zip).status).toBe(0);
    // Stop the agent key generation started for this home.
    spawnSync("gpgconf", ["--homedir", home, "--kill", "all"]);
    rmSync(join(work, "bin", "gpg"));
    const result = runStep(awsCliComponent(bakeSettings(), "x86_64"), "InstallAwsCli");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`is not signed by the AWS CLI key ${AWS_CLI_KEY_FINGERPRINT}; refusing to install`);
    expect(existsSync(join(downloads, "install.log"))).toBe(false);
  });
});
