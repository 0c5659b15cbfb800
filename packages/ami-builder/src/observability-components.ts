import { ARCHITECTURE_NAMES, type Architecture } from "./architectures.js";
import { installFile, installVerifiedBinary } from "./component-steps.js";
import { component, otelcolReleaseUrl, type ComponentSpec } from "./components.js";
import { INSTALL_PATHS, imageFile } from "./image-files.js";
import type { BakeSettings } from "./resolve-props.js";

/** The collector's Prometheus endpoint line in image/otelcol/config.yaml, replaced by the deployment's port. */
const DEFAULT_METRICS_ENDPOINT = '"0.0.0.0:9464"';

/** The shipped collector configuration with the deployment's metrics port. */
export function otelcolConfig(metricsPort: number): string {
  const config = imageFile("otelcol/config.yaml");
  if (config.split(DEFAULT_METRICS_ENDPOINT).length !== 2) throw new Error(`otelcol/config.yaml must hold ${DEFAULT_METRICS_ENDPOINT} exactly once`);
  return config.replace(DEFAULT_METRICS_ENDPOINT, `"0.0.0.0:${metricsPort}"`);
}

/** The pinned OpenTelemetry collector; its unit only runs where role.env says scheduler. */
export function otelcolComponent(settings: BakeSettings, architecture: Architecture): ComponentSpec {
  const config = INSTALL_PATHS.otelcolConfig;
  return component(`${settings.name}-otelcol-${architecture}`, `otelcol-contrib ${settings.otelcolVersion} (${architecture}), SHA-256 verified`, {
    build: [
      {
        name: "InstallCollector",
        script: installVerifiedBinary({
          url: otelcolReleaseUrl(settings, architecture),
          sha256: settings.otelcolSha256[architecture],
          binary: "otelcol-contrib",
          destination: INSTALL_PATHS.otelcol,
        }),
      },
      { name: "InstallCollectorConfig", script: installFile({ path: config, mode: "0644", content: otelcolConfig(settings.metricsPort) }) },
      {
        name: "InstallCollectorUnit",
        script: installFile({ path: INSTALL_PATHS.otelcolUnit, mode: "0644", content: imageFile("systemd/nativelink-otelcol.service") }),
      },
      { name: "EnableCollector", script: "systemctl daemon-reload\nsystemctl enable nativelink-otelcol.service\n" },
    ],
    validate: [
      {
        name: "CheckCollector",
        script: `${INSTALL_PATHS.otelcol} validate --config=${config}\nsystemd-analyze verify ${INSTALL_PATHS.otelcolUnit}\n`,
      },
    ],
    test: [{ name: "CheckCollectorOnNewInstance", script: `${INSTALL_PATHS.otelcol} --version\nsystemctl is-enabled nativelink-otelcol.service\n` }],
  });
}

const CLOUDWATCH_AGENT_BUCKET = "https://amazoncloudwatch-agent.s3.amazonaws.com";
/** AWS's published fingerprint of the CloudWatch agent's signing key ("Verifying the signature of the CloudWatch agent package"). */
export const CLOUDWATCH_AGENT_KEY_FINGERPRINT = "937616F3450B7D806CBD9725D58167303B789C72";

/** The CloudWatch agent's configuration, shipping /var/log/nativelink/nativelink.log to the log group. */
export function cloudWatchAgentConfig(logGroupName: string): string {
  return imageFile("cloudwatch/amazon-cloudwatch-agent.json").replace("@LOG_GROUP_NAME@", logGroupName);
}

/**
 * The CloudWatch agent (the newest signed release, checked against AWS's key fingerprint), and rsyslog
 * copying the NativeLink units' journal lines to the file the agent ships.
 */
export function cloudWatchComponent(settings: BakeSettings, architecture: Architecture): ComponentSpec {
  const base = `${CLOUDWATCH_AGENT_BUCKET}/ubuntu/${ARCHITECTURE_NAMES[architecture].debian}/latest`;
  const agentCtl = "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl";
  return component(
    `${settings.name}-cloudwatch-agent-${architecture}`,
    `CloudWatch agent (${architecture}) shipping NativeLink's journal to ${settings.logGroupName}`,
    {
      build: [
        {
          name: "InstallCloudWatchAgent",
          script: [
            'work="$(mktemp -d)"',
            "trap 'rm -rf \"$work\"' EXIT",
            `curl --fail --silent --show-error --retry 5 --output "$work/agent.deb" ${base}/amazon-cloudwatch-agent.deb`,
            `curl --fail --silent --show-error --retry 5 --output "$work/agent.deb.sig" ${base}/amazon-cloudwatch-agent.deb.sig`,
            `curl --fail --silent --show-error --retry 5 --output "$work/agent.gpg" ${CLOUDWATCH_AGENT_BUCKET}/assets/amazon-cloudwatch-agent.gpg`,
            'export GNUPGHOME="$work/gnupg"',
            'install -d -m 0700 "$GNUPGHOME"',
            'gpg --batch --quiet --import "$work/agent.gpg"',
            // The signature must come from AWS's key, whatever else the downloaded key file holds.
            // grep reads everything (no -q): an early exit would break gpg's pipe and fail the check under pipefail.
            `if ! gpg --batch --status-fd 1 --verify "$work/agent.deb.sig" "$work/agent.deb" | ` +
              `grep "^\\[GNUPG:\\] VALIDSIG .*${CLOUDWATCH_AGENT_KEY_FINGERPRINT}" >/dev/null; then`,
            '  echo "the CloudWatch agent package is not signed by AWS\'s key; refusing to install" >&2',
            "  exit 1",
            "fi",
            'dpkg -i "$work/agent.deb"',
            "",
          ].join("\n"),
        },
        {
          name: "InstallRsyslogRule",
          script: installFile({ path: INSTALL_PATHS.rsyslog, mode: "0644", content: imageFile("cloudwatch/rsyslog-nativelink.conf") }),
        },
        {
          name: "InstallLogrotateRule",
          script: installFile({ path: INSTALL_PATHS.logrotate, mode: "0644", content: imageFile("cloudwatch/logrotate-nativelink") }),
        },
        {
          name: "InstallAgentConfig",
          script: installFile({ path: INSTALL_PATHS.cloudWatchConfig, mode: "0644", content: cloudWatchAgentConfig(settings.logGroupName) }),
        },
        {
          name: "EnableLogShipping",
          script: [
            "install -d -o syslog -g adm -m 0755 /var/log/nativelink",
            "systemctl restart rsyslog",
            `${agentCtl} -a fetch-config -m ec2 -c file:${INSTALL_PATHS.cloudWatchConfig}`,
            "systemctl enable amazon-cloudwatch-agent",
            "",
          ].join("\n"),
        },
      ],
      validate: [{ name: "CheckLogShipping", script: "rsyslogd -N1\nsystemctl is-enabled amazon-cloudwatch-agent rsyslog\n" }],
      test: [{ name: "CheckLogShippingOnNewInstance", script: "systemctl is-enabled amazon-cloudwatch-agent rsyslog\n" }],
    },
  );
}
