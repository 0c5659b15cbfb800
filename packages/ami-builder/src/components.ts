import { releaseAssetName, releaseAssetUrl } from "@nativelink-aws/nativelink-config";
import type { Architecture } from "./architectures.js";
import { componentDocument, installFile, installVerifiedBinary, type BashStep } from "./component-steps.js";
import { INSTALL_PATHS, imageFile } from "./image-files.js";
import type { BakeSettings } from "./resolve-props.js";

/** An Image Builder component: a physical name and its YAML document. */
export interface ComponentSpec {
  readonly name: string;
  readonly description: string;
  readonly document: string;
}

/** Image Builder caps an inline component document at 16,000 characters. */
export const MAX_COMPONENT_DOCUMENT_LENGTH = 16_000;

export function component(name: string, description: string, phases: Parameters<typeof componentDocument>[2]): ComponentSpec {
  const document = componentDocument(name, description, phases);
  if (document.length > MAX_COMPONENT_DOCUMENT_LENGTH) {
    throw new Error(`component ${name} is ${document.length} characters, over Image Builder's ${MAX_COMPONENT_DOCUMENT_LENGTH}: split it`);
  }
  return { name, description, document };
}

export function nativelinkReleaseUrl(settings: BakeSettings, architecture: Architecture): string {
  const version = settings.nativelinkVersion;
  return releaseAssetUrl(settings.nativelinkReleaseBaseUrl, version, releaseAssetName("nativelink", version, architecture));
}

export function otelcolReleaseUrl(settings: BakeSettings, architecture: Architecture): string {
  const version = settings.otelcolVersion;
  return releaseAssetUrl(settings.otelcolReleaseBaseUrl, version, releaseAssetName("otelcol", version, architecture));
}

/** Fails unless `command` prints `expected` somewhere in its output. */
function expectOutput(command: string, expected: string): string {
  return (
    `output="$(${command})"\n[[ "$output" == *${JSON.stringify(expected)}* ]] || ` +
    `{ echo "expected ${expected} from ${command}, got: $output" >&2; exit 1; }\n`
  );
}

/**
 * The operating system packages the scripts need, the library they share (`nativelink-common`: every other component
 * has a script that sources it) and the pinned, checksum-verified NativeLink binary.
 */
export function nativelinkComponent(settings: BakeSettings, architecture: Architecture): ComponentSpec {
  const versionCheck: BashStep = { name: "NativeLinkVersion", script: expectOutput(`${INSTALL_PATHS.nativelink} --version`, settings.nativelinkVersion) };
  const common = { path: INSTALL_PATHS.common, mode: "0644", content: imageFile("bin/nativelink-common") };
  const commonCheck: BashStep = { name: "CheckCommon", script: `bash -n ${INSTALL_PATHS.common}\n` };
  return component(`${settings.name}-nativelink-${architecture}`, `NativeLink ${settings.nativelinkVersion} (${architecture}), SHA-256 verified`, {
    build: [
      {
        name: "InstallPackages",
        // apt waits for the lock that cloud-init or unattended-upgrades may hold on a fresh instance.
        script: [
          "export DEBIAN_FRONTEND=noninteractive",
          "apt-get -o DPkg::Lock::Timeout=600 update",
          "apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends ca-certificates curl gnupg jq mdadm",
          "",
        ].join("\n"),
      },
      { name: "InstallCommon", script: installFile(common) },
      {
        name: "InstallNativeLink",
        script: installVerifiedBinary({
          url: nativelinkReleaseUrl(settings, architecture),
          sha256: settings.nativelinkSha256[architecture],
          binary: "nativelink",
          destination: INSTALL_PATHS.nativelink,
        }),
      },
    ],
    validate: [versionCheck, commonCheck],
    test: [versionCheck],
  });
}

/**
 * The bootstrap of the boot contract (docs/DESIGN.md), on its own: it nearly fills a component document
 * (its cloud-init drop-in is in the units component). The same for both architectures.
 */
export function bootstrapComponent(settings: BakeSettings): ComponentSpec {
  const files = [{ path: INSTALL_PATHS.bootstrap, mode: "0755", content: imageFile("bin/nativelink-bootstrap") }];
  return component(`${settings.name}-nativelink-bootstrap`, "NativeLink boot contract: nativelink-bootstrap (disks, cache sizes, /etc/nativelink/env)", {
    build: files.map((file, index) => ({ name: `InstallFile${index + 1}`, script: installFile(file) })),
    validate: [
      {
        name: "CheckBootstrap",
        script: `bash -n ${INSTALL_PATHS.bootstrap}
`,
      },
    ],
    test: [
      {
        name: "CheckBootstrapOnNewInstance",
        script: `test -x ${INSTALL_PATHS.bootstrap}
`,
      },
    ],
  });
}

/**
 * The boot contract's units, the platform-property helper and the cloud-init drop-in that leaves `ephemeral0`
 * alone (docs/DESIGN.md); the same for both architectures.
 */
export function unitsComponent(settings: BakeSettings): ComponentSpec {
  const files = [
    { path: INSTALL_PATHS.platformProperty, mode: "0755", content: imageFile("bin/nativelink-platform-property") },
    { path: INSTALL_PATHS.bootstrapActions, mode: "0644", content: imageFile("bin/nativelink-bootstrap-actions") },
    { path: INSTALL_PATHS.bootstrapUnit, mode: "0644", content: imageFile("systemd/nativelink-bootstrap.service") },
    { path: INSTALL_PATHS.nativelinkUnit, mode: "0644", content: imageFile("systemd/nativelink.service") },
    { path: INSTALL_PATHS.stopTimeoutDropIn, mode: "0644", content: stopTimeoutDropIn(settings.stopTimeoutSeconds) },
    { path: INSTALL_PATHS.cloudInit, mode: "0644", content: imageFile("cloud-init/90-nativelink.cfg") },
  ];
  const units = "nativelink-bootstrap.service nativelink.service";
  return component(`${settings.name}-nativelink-units`, "NativeLink boot contract: systemd units and nativelink-platform-property", {
    build: [
      ...files.map((file, index) => ({ name: `InstallFile${index + 1}`, script: installFile(file) })),
      { name: "EnableUnits", script: `systemctl daemon-reload\nsystemctl enable ${units}\n` },
    ],
    validate: [
      {
        name: "CheckUnits",
        script: [
          `bash -n ${INSTALL_PATHS.platformProperty}`,
          `bash -n ${INSTALL_PATHS.bootstrapActions}`,
          `systemd-analyze verify ${INSTALL_PATHS.bootstrapUnit} ${INSTALL_PATHS.nativelinkUnit}`,
          `systemctl is-enabled ${units}`,
          "",
        ].join("\n"),
      },
    ],
    test: [
      {
        name: "CheckUnitsOnNewInstance",
        // Without role.env (no user data here) both units are skipped, never failed.
        script: [
          `systemctl is-enabled ${units}`,
          `if systemctl is-failed --quiet ${units}; then echo "a NativeLink unit failed on an instance without role.env" >&2; exit 1; fi`,
          `env -i ${INSTALL_PATHS.platformProperty} memory_kb`,
          "",
        ].join("\n"),
      },
    ],
  });
}

/** The deployment's drain time, over the unit's default. */
export function stopTimeoutDropIn(seconds: number): string {
  return `# Set by @nativelink-aws/ami-builder (stopTimeoutSeconds): at least the worker's max action timeout.\n[Service]\nTimeoutStopSec=${seconds}\n`;
}
