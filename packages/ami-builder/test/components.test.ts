import { describe, expect, it } from "vitest";
import { ARCHITECTURES } from "../src/architectures.js";
import {
  MAX_COMPONENT_DOCUMENT_LENGTH,
  bootstrapComponent,
  nativelinkComponent,
  nativelinkReleaseUrl,
  otelcolReleaseUrl,
  unitsComponent,
} from "../src/components.js";
import {
  AWS_CLI_KEY_FINGERPRINT,
  awsCliComponent,
  awsCliUrl,
  drainWaitDropIn,
  drainWatcherComponent,
  drainWatcherUnitComponent,
} from "../src/drain-components.js";
import { INSTALL_PATHS } from "../src/image-files.js";
import { otelcolComponent } from "../src/observability-components.js";
import { warmPoolComponent } from "../src/warm-pool-component.js";
import { allComponents, bakeSettings, componentSteps, parseComponent, step } from "./helpers/bake.js";

describe("Image Builder component documents", () => {
  const components = allComponents();

  it("makes one NativeLink, AWS CLI, collector and CloudWatch component per architecture, and shared bootstrap, units, warm pool, actions, drain", () => {
    expect(components.map((spec) => spec.name).sort()).toEqual([
      "nativelink-aws-cli-arm64",
      "nativelink-aws-cli-x86_64",
      "nativelink-cloudwatch-agent-arm64",
      "nativelink-cloudwatch-agent-x86_64",
      "nativelink-nativelink-actions",
      "nativelink-nativelink-arm64",
      "nativelink-nativelink-bootstrap",
      "nativelink-nativelink-drain",
      "nativelink-nativelink-drain-unit",
      "nativelink-nativelink-units",
      "nativelink-nativelink-warm-pool",
      "nativelink-nativelink-x86_64",
      "nativelink-otelcol-arm64",
      "nativelink-otelcol-x86_64",
    ]);
  });

  it.each(allComponents().map((spec) => [spec.name, spec] as const))("%s parses as YAML with build, validate and test phases of bash steps", (_, spec) => {
    const document = parseComponent(spec);
    expect(document.name).toBe(spec.name);
    expect(document.description).toBe(spec.description);
    expect(spec.document).toMatch(/^schemaVersion: 1\.0$/m);
    expect(document.phases.map((phase) => phase.name)).toEqual(["build", "validate", "test"]);
    for (const phase of document.phases) expect(phase.steps.length).toBeGreaterThan(0);
    for (const parsed of componentSteps(spec)) {
      expect(parsed.action).toBe("ExecuteBash");
      expect(parsed.script.startsWith("set -euo pipefail\n")).toBe(true);
    }
    expect(spec.document.length).toBeLessThanOrEqual(MAX_COMPONENT_DOCUMENT_LENGTH);
    expect(spec.document).not.toContain("{{");
  });

  it("downloads NativeLink's official static release assets and checks the version it installed", () => {
    const settings = bakeSettings();
    expect(nativelinkReleaseUrl(settings, "x86_64")).toBe(
      "https://github.com/TraceMachina/nativelink/releases/download/v1.6.6/nativelink-1.6.6-x86_64-unknown-linux-musl.tar.gz",
    );
    expect(nativelinkReleaseUrl(settings, "arm64")).toBe(
      "https://github.com/TraceMachina/nativelink/releases/download/v1.6.6/nativelink-1.6.6-aarch64-unknown-linux-musl.tar.gz",
    );
    for (const architecture of ARCHITECTURES) {
      const spec = nativelinkComponent(settings, architecture);
      expect(step(spec, "InstallNativeLink").script).toContain(nativelinkReleaseUrl(settings, architecture));
      expect(step(spec, "InstallNativeLink").script).toContain(settings.nativelinkSha256[architecture]);
      for (const phase of ["validate", "test"]) {
        const check = componentSteps(spec).find((candidate) => candidate.phase === phase);
        expect(check?.script).toContain(`output="$(${INSTALL_PATHS.nativelink} --version)"`);
        expect(check?.script).toContain('*"1.6.6"*');
      }
    }
  });

  it("follows the version and mirror props", () => {
    const settings = bakeSettings({ nativelinkVersion: "v1.7.0", nativelinkReleaseBaseUrl: "https://mirror.example.com/nl", otelcolVersion: "0.150.0" });
    expect(nativelinkReleaseUrl(settings, "arm64")).toBe("https://mirror.example.com/nl/v1.7.0/nativelink-1.7.0-aarch64-unknown-linux-musl.tar.gz");
    expect(otelcolReleaseUrl(settings, "x86_64")).toBe(
      "https://github.com/open-telemetry/opentelemetry-collector-releases/releases/download/v0.150.0/otelcol-contrib_0.150.0_linux_amd64.tar.gz",
    );
    expect(otelcolReleaseUrl(settings, "arm64")).toMatch(/otelcol-contrib_0\.150\.0_linux_arm64\.tar\.gz$/);
  });

  it("installs the boot contract's files and enables both units", () => {
    const settings = bakeSettings();
    const specs = [bootstrapComponent(settings), unitsComponent(settings)];
    const written = specs
      .flatMap((spec) => componentSteps(spec).filter((parsed) => parsed.phase === "build"))
      .map((parsed) => /install -D -m (\d+) \/dev\/stdin "\$\{DESTDIR:-\}(\S+)"/.exec(parsed.script)?.slice(1, 3))
      .filter(Boolean);
    expect(written).toEqual([
      ["0755", INSTALL_PATHS.bootstrap],
      ["0755", INSTALL_PATHS.platformProperty],
      // The bootstrap sources it from its own directory: it is no program.
      ["0644", INSTALL_PATHS.bootstrapActions],
      ["0644", INSTALL_PATHS.bootstrapUnit],
      ["0644", INSTALL_PATHS.nativelinkUnit],
      ["0644", INSTALL_PATHS.stopTimeoutDropIn],
      ["0644", INSTALL_PATHS.cloudInit],
    ]);
    const [bootstrap, units] = specs as [(typeof specs)[0], (typeof specs)[0]];
    expect(step(bootstrap, "CheckBootstrap").script).toContain(`bash -n ${INSTALL_PATHS.bootstrap}`);
    expect(step(units, "EnableUnits").script).toContain("systemctl enable nativelink-bootstrap.service nativelink.service");
    expect(step(units, "CheckUnits").script).toContain("systemd-analyze verify");
    expect(step(units, "CheckUnits").script).toContain(`bash -n ${INSTALL_PATHS.bootstrapActions}`);
    expect(INSTALL_PATHS.bootstrapActions).toBe(INSTALL_PATHS.bootstrap.replace(/$/, "-actions"));
    expect(step(units, "CheckUnitsOnNewInstance").script).toContain("systemctl is-failed --quiet nativelink-bootstrap.service nativelink.service");
  });

  it("installs the AWS CLI v2 from AWS's official download, per architecture, checking its version", () => {
    expect(awsCliUrl("x86_64")).toBe("https://awscli.amazonaws.com/awscli-exe-linux-x86_64.zip");
    expect(awsCliUrl("arm64")).toBe("https://awscli.amazonaws.com/awscli-exe-linux-aarch64.zip");
    for (const architecture of ARCHITECTURES) {
      const spec = awsCliComponent(bakeSettings(), architecture);
      const install = step(spec, "InstallAwsCli").script;
      expect(install).toContain(`--output "$work/awscliv2.zip" ${awsCliUrl(architecture)}\n`);
      expect(install).toContain(`--output "$work/awscliv2.zip.sig" ${awsCliUrl(architecture)}.sig\n`);
      expect(install).toContain(`VALIDSIG .*${AWS_CLI_KEY_FINGERPRINT}`);
      expect(install).toContain('"$work/aws/install" --bin-dir /usr/local/bin --install-dir /usr/local/aws-cli --update');
      expect(step(spec, "InstallPackages").script).toContain("install -y --no-install-recommends ca-certificates curl gnupg unzip");
      for (const phase of ["validate", "test"]) {
        expect(componentSteps(spec).find((candidate) => candidate.phase === phase)?.script).toContain(`output="$(${INSTALL_PATHS.awsCli} --version)"`);
      }
    }
  });

  it("installs the drain watcher, and in a second component the drain worker and the unit with its drain wait, enabled and verified", () => {
    const installed = (spec: ReturnType<typeof drainWatcherComponent>) =>
      componentSteps(spec)
        .filter((parsed) => parsed.phase === "build")
        .map((parsed) => /install -D -m (\d+) \/dev\/stdin "\$\{DESTDIR:-\}(\S+)"/.exec(parsed.script)?.slice(1, 3))
        .filter(Boolean);
    const watcher = drainWatcherComponent(bakeSettings());
    const unit = drainWatcherUnitComponent(bakeSettings());
    expect(installed(watcher)).toEqual([["0755", INSTALL_PATHS.drainWatcher]]);
    expect(installed(unit)).toEqual([
      ["0755", INSTALL_PATHS.drainWorker],
      ["0644", INSTALL_PATHS.drainWatcherUnit],
      ["0644", INSTALL_PATHS.drainWaitDropIn],
    ]);
    expect(step(unit, "InstallFile3").script).toContain("[Service]\nEnvironment=DRAIN_MAX_WAIT_SECONDS=3600\n");
    expect(drainWaitDropIn(5400)).toMatch(/^Environment=DRAIN_MAX_WAIT_SECONDS=5400$/m);
    expect(step(unit, "CheckWatcherUnit").script).toContain(`bash -n ${INSTALL_PATHS.drainWorker}`);
    expect(step(watcher, "CheckWatcher").script).toContain(`bash -n ${INSTALL_PATHS.drainWatcher}`);
    expect(step(unit, "EnableWatcher").script).toContain("systemctl enable nativelink-drain-watcher.service");
    expect(step(unit, "CheckWatcherUnit").script).toContain(`systemd-analyze verify ${INSTALL_PATHS.drainWatcherUnit}`);
    expect(step(unit, "CheckWatcherUnitOnNewInstance").script).toContain("systemctl is-failed --quiet nativelink-drain-watcher.service");
  });

  it("installs the bootstrap's warm-pool part beside it, not executable (it is sourced), and checks its syntax", () => {
    const spec = warmPoolComponent(bakeSettings());
    expect(step(spec, "InstallFile1").script).toContain(`install -D -m 0644 /dev/stdin "\${DESTDIR:-}${INSTALL_PATHS.bootstrapLifecycle}"`);
    expect(INSTALL_PATHS.bootstrapLifecycle).toBe(INSTALL_PATHS.bootstrap.replace(/$/, "-lifecycle"));
    expect(step(spec, "CheckWarmPoolPart").script).toContain(`bash -n ${INSTALL_PATHS.bootstrapLifecycle}`);
  });

  it.each([drainWatcherComponent, drainWatcherUnitComponent, bootstrapComponent, warmPoolComponent])(
    "keeps room under Image Builder's limit (%o), the longest deployment name included",
    (make) => {
      const spec = make(bakeSettings({ name: "a".repeat(20) }));
      expect(spec.document.length).toBeLessThanOrEqual(MAX_COMPONENT_DOCUMENT_LENGTH);
    },
  );

  it("validates the collector's configuration with the collector itself", () => {
    const spec = otelcolComponent(bakeSettings(), "arm64");
    expect(step(spec, "CheckCollector").script).toContain(`${INSTALL_PATHS.otelcol} validate --config=${INSTALL_PATHS.otelcolConfig}`);
    expect(step(spec, "EnableCollector").script).toContain("systemctl enable nativelink-otelcol.service");
  });

  it("stops a component that would exceed Image Builder's 16,000 characters", () => {
    const settings = bakeSettings();
    expect(() => nativelinkComponent({ ...settings, nativelinkVersion: `1.0.0-${"x".repeat(16_000)}` }, "x86_64")).toThrow(
      /over Image Builder's 16000: split it/,
    );
  });
});
