import type { Architecture, PerArchitecture } from "./architectures.js";
import { installFile } from "./component-steps.js";
import { component, type ComponentSpec } from "./components.js";
import { INSTALL_PATHS, imageFile } from "./image-files.js";
import type { BakeSettings } from "./resolve-props.js";

const AWS_CLI_DOWNLOADS = "https://awscli.amazonaws.com";
/** How the AWS CLI's Linux installers name each architecture (`awscli-exe-linux-<name>.zip`). */
const AWS_CLI_ARCHITECTURES: PerArchitecture<string> = { x86_64: "x86_64", arm64: "aarch64" };
/** AWS's published fingerprint of the AWS CLI's PGP key ("Install or update to the latest version of the AWS CLI", Linux). */
export const AWS_CLI_KEY_FINGERPRINT = "FB5DB77FD5C118B80511ADA8A6310ACC4672475C";
/** Ends the here-document that carries the key into gpg; the key file may not contain this line. */
const KEY_DELIMITER = "AWS_CLI_KEY_EOF";

/** The official AWS CLI v2 installer for an architecture (its signature is the same URL with `.sig`). */
export function awsCliUrl(architecture: Architecture): string {
  return `${AWS_CLI_DOWNLOADS}/awscli-exe-linux-${AWS_CLI_ARCHITECTURES[architecture]}.zip`;
}

/**
 * AWS CLI v2 (the newest release), installed only if its PGP signature verifies against AWS's key with the
 * published fingerprint. The key ships in `image/awscli/aws-cli-public-key.asc`, as the AWS CLI's install
 * documentation publishes it (it is not downloadable from AWS at a stable address). The drain watcher calls it.
 */
export function awsCliComponent(settings: BakeSettings, architecture: Architecture): ComponentSpec {
  const key = imageFile("awscli/aws-cli-public-key.asc");
  if (key.split("\n").includes(KEY_DELIMITER)) throw new Error(`the AWS CLI key contains the line ${KEY_DELIMITER}`);
  const url = awsCliUrl(architecture);
  const download = "curl --fail --silent --show-error --location --retry 5 --proto '=https' --proto-redir '=https' --output";
  const versionCheck =
    `output="$(${INSTALL_PATHS.awsCli} --version)"\n` +
    `[[ "$output" == aws-cli/2.* ]] || { echo "expected aws-cli/2 from ${INSTALL_PATHS.awsCli} --version, got: $output" >&2; exit 1; }\n`;
  return component(`${settings.name}-aws-cli-${architecture}`, `AWS CLI v2 (${architecture}), PGP signature verified, for the workers' drain watcher`, {
    build: [
      {
        name: "InstallPackages",
        script: [
          "export DEBIAN_FRONTEND=noninteractive",
          "apt-get -o DPkg::Lock::Timeout=600 update",
          "apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends ca-certificates curl gnupg unzip",
          "",
        ].join("\n"),
      },
      {
        name: "InstallAwsCli",
        script: [
          'work="$(mktemp -d)"',
          "trap 'rm -rf \"$work\"' EXIT",
          `${download} "$work/awscliv2.zip" ${url}`,
          `${download} "$work/awscliv2.zip.sig" ${url}.sig`,
          'export GNUPGHOME="$work/gnupg"',
          'install -d -m 0700 "$GNUPGHOME"',
          `gpg --batch --quiet --import <<'${KEY_DELIMITER}'`,
          `${key.trimEnd()}`,
          KEY_DELIMITER,
          // The signature must come from AWS's key. grep reads everything (no -q): an early exit would break
          // gpg's pipe and fail the check under pipefail.
          `if ! gpg --batch --status-fd 1 --verify "$work/awscliv2.zip.sig" "$work/awscliv2.zip" ` +
            `| grep "^\\[GNUPG:\\] VALIDSIG .*${AWS_CLI_KEY_FINGERPRINT}" >/dev/null; then`,
          `  echo "${url} is not signed by the AWS CLI key ${AWS_CLI_KEY_FINGERPRINT}; ` +
            `refusing to install (if AWS renewed the key, update image/awscli/aws-cli-public-key.asc)" >&2`,
          "  exit 1",
          "fi",
          'unzip -q "$work/awscliv2.zip" -d "$work"',
          `"$work/aws/install" --bin-dir /usr/local/bin --install-dir /usr/local/aws-cli --update`,
          "",
        ].join("\n"),
      },
    ],
    validate: [{ name: "CheckAwsCli", script: versionCheck }],
    test: [{ name: "CheckAwsCliOnNewInstance", script: versionCheck }],
  });
}

/**
 * The workers' drain watcher (docs/DESIGN.md): on scale-in, a Spot interruption notice or a rebalance recommendation
 * it drains the worker through the scheduler's admin API (`nativelink-drain-worker`, installed with the unit), stops
 * NativeLink once the worker runs nothing, then completes the termination lifecycle action. The same for both
 * architectures. Its unit and the drain worker are a component of their own (`drainWatcherUnitComponent`): together
 * they exceed Image Builder's document limit.
 */
export function drainWatcherComponent(settings: BakeSettings): ComponentSpec {
  const watcher = { path: INSTALL_PATHS.drainWatcher, mode: "0755", content: imageFile("bin/nativelink-drain-watcher") };
  const check = `bash -n ${INSTALL_PATHS.drainWatcher}\ntest -x ${INSTALL_PATHS.drainWatcher}\n`;
  return component(
    `${settings.name}-nativelink-drain`,
    "NativeLink drain watcher: drains workers on scale-in or Spot interruption, then CompleteLifecycleAction",
    {
      build: [{ name: "InstallWatcher", script: installFile(watcher) }],
      validate: [{ name: "CheckWatcher", script: check }],
      test: [{ name: "CheckWatcherOnNewInstance", script: check }],
    },
  );
}

/** How long the drain waits for a worker's running actions: the deployment's stop timeout, over the watcher's default. */
export function drainWaitDropIn(seconds: number): string {
  return (
    `# Set by @nativelink-aws/ami-builder (stopTimeoutSeconds): at least the worker's max action timeout.\n` +
    `[Service]\nEnvironment=DRAIN_MAX_WAIT_SECONDS=${seconds}\n`
  );
}

/** The drain watcher's systemd unit, enabled, and the drain worker it runs; on workers only (role.env decides at boot). */
export function drainWatcherUnitComponent(settings: BakeSettings): ComponentSpec {
  const files = [
    { path: INSTALL_PATHS.drainWorker, mode: "0755", content: imageFile("bin/nativelink-drain-worker") },
    { path: INSTALL_PATHS.drainWatcherUnit, mode: "0644", content: imageFile("systemd/nativelink-drain-watcher.service") },
    { path: INSTALL_PATHS.drainWaitDropIn, mode: "0644", content: drainWaitDropIn(settings.stopTimeoutSeconds) },
  ];
  const unit = "nativelink-drain-watcher.service";
  return component(`${settings.name}-nativelink-drain-unit`, "NativeLink drain worker and the drain watcher's systemd unit (workers only)", {
    build: [
      ...files.map((file, index) => ({ name: `InstallFile${index + 1}`, script: installFile(file) })),
      { name: "EnableWatcher", script: `systemctl daemon-reload\nsystemctl enable ${unit}\n` },
    ],
    validate: [
      {
        name: "CheckWatcherUnit",
        script: `bash -n ${INSTALL_PATHS.drainWorker}\nsystemd-analyze verify ${INSTALL_PATHS.drainWatcherUnit}\nsystemctl is-enabled ${unit}\n`,
      },
    ],
    test: [
      {
        name: "CheckWatcherUnitOnNewInstance",
        // Without role.env (no user data here) the watcher is skipped, never failed.
        script:
          `systemctl is-enabled ${unit}\nif systemctl is-failed --quiet ${unit}; ` +
          `then echo "${unit} failed on an instance without role.env" >&2; exit 1; fi\n`,
      },
    ],
  });
}
