import { DEFAULT_OTELCOL_VERSION as OTELCOL_VERSION, DEFAULT_RELEASE_BASE_URLS, type ImagesLock } from "@nativelink-aws/nativelink-config";
import type { PerArchitecture } from "./architectures.js";

/** NativeLink release baked by default; its release assets are `nativelink-<version>-<rust target>.tar.gz`. */
export const DEFAULT_NATIVELINK_VERSION = "1.6.6";
/** otelcol-contrib release baked by default; its assets are `otelcol-contrib_<version>_linux_<arch>.tar.gz`. */
export const DEFAULT_OTELCOL_VERSION = OTELCOL_VERSION;
export const DEFAULT_NATIVELINK_RELEASE_BASE_URL = DEFAULT_RELEASE_BASE_URLS.nativelink;
export const DEFAULT_OTELCOL_RELEASE_BASE_URL = DEFAULT_RELEASE_BASE_URLS.otelcol;
/** Ubuntu 24.04 LTS, the current AMI of the day, from Canonical's public SSM parameters (any region). */
export const DEFAULT_BASE_IMAGE_SSM_PARAMETERS: PerArchitecture<string> = {
  x86_64: "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id",
  arm64: "/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id",
};
/** Small general-purpose types: the bake only downloads and verifies files. Two per architecture for capacity. */
export const DEFAULT_BUILDER_INSTANCE_TYPES: PerArchitecture<readonly string[]> = {
  x86_64: ["m6i.large", "m5.large"],
  arm64: ["m7g.large", "m6g.large"],
};

/** Props of {@link NativeLinkImage}. Either bake (the default) or pass `existingAmiIds`. */
export interface NativeLinkImageProps {
  /**
   * Deployment name; every physical name derives from it (`<name>-nativelink-x86_64`, …), so two
   * deployments live side by side. 2-20 lowercase letters, digits or hyphens, starting with a letter.
   * @default "nativelink"
   */
  readonly name?: string;
  /**
   * Use these AMIs instead of baking: no Image Builder resource is created. Only `name`, `metricsPort`
   * and `logGroupName` may be set with it (they then describe how the AMIs were baked). The AMIs must
   * hold the boot contract's files (docs/DESIGN.md), e.g. from an earlier bake.
   * @default undefined (bake both images)
   */
  readonly existingAmiIds?: PerArchitecture<string>;
  /**
   * VPC of `subnetId`; the builder's egress-only security group is created in it. Required when baking.
   * @default undefined
   */
  readonly vpcId?: string;
  /**
   * Subnet for the build and test instances; it needs egress to the internet (NAT gateway, or public
   * IPs assigned on launch) for GitHub releases, the CloudWatch agent, Ubuntu's archive and the AWS APIs.
   * Required when baking.
   * @default undefined
   */
  readonly subnetId?: string;
  /**
   * The releases to bake, from an images lock file (see `readImagesLockFile`; written and verified by
   * `nativelink-aws images lock`): version, download address and SHA-256 of each NativeLink and otelcol-contrib
   * asset. It replaces `nativelinkVersion`, `nativelinkSha256`, `nativelinkReleaseBaseUrl`, `otelcolVersion`,
   * `otelcolSha256` and `otelcolReleaseBaseUrl`, which may not be given with it.
   * @default undefined (give those props instead)
   */
  readonly lock?: ImagesLock;
  /**
   * NativeLink release to install, with or without a leading "v".
   * @default "1.6.6"
   */
  readonly nativelinkVersion?: string;
  /**
   * SHA-256 (hex) of each release tarball `nativelink-<version>-{x86_64,aarch64}-unknown-linux-musl.tar.gz`.
   * Required to bake without `lock`. A wrong value fails the bake. Prefer `lock` (`nativelink-aws images lock`
   * verifies the release); by hand, take the digests from verified provenance (`nativelink-<version>.intoto.jsonl`).
   * @default undefined
   */
  readonly nativelinkSha256?: PerArchitecture<string>;
  /**
   * Where the NativeLink release assets are downloaded from: `<base>/v<version>/<asset>`. Point it at a
   * mirror with the same layout when the build subnet cannot reach GitHub.
   * @default "https://github.com/TraceMachina/nativelink/releases/download"
   */
  readonly nativelinkReleaseBaseUrl?: string;
  /**
   * otelcol-contrib release of the schedulers' metrics collector.
   * @default "0.161.0"
   */
  readonly otelcolVersion?: string;
  /**
   * SHA-256 (hex) of `otelcol-contrib_<version>_linux_{amd64,arm64}.tar.gz` (since 0.158, each asset's `.sha256`,
   * signed through its `.sigstore.json`). Required to bake without `lock`; a wrong value fails the bake.
   * @default undefined
   */
  readonly otelcolSha256?: PerArchitecture<string>;
  /**
   * Where the otelcol-contrib assets are downloaded from: `<base>/v<version>/<asset>`.
   * @default "https://github.com/open-telemetry/opentelemetry-collector-releases/releases/download"
   */
  readonly otelcolReleaseBaseUrl?: string;
  /**
   * Private port on which a scheduler's collector serves NativeLink's metrics as Prometheus text
   * (namespace `nativelink`) for the autoscaler. 1024-65535, not 4317 (OTLP in).
   * @default 9464
   */
  readonly metricsPort?: number;
  /**
   * How long a draining worker may finish its running actions before NativeLink is stopped anyway (the drain
   * watcher's `DRAIN_MAX_WAIT_SECONDS`), and `TimeoutStopSec` of `nativelink.service`. Keep it at least the
   * worker's max action timeout (the autoscaler's scale-in grace period coordinates with it).
   * @default 3600 (1 hour)
   */
  readonly stopTimeoutSeconds?: number;
  /**
   * Install the CloudWatch agent and ship the journal lines of the NativeLink units to `logGroupName`.
   * The cluster's instance role then needs `logs:CreateLogStream` and `logs:PutLogEvents` on that group.
   * @default true
   */
  readonly cloudWatchLogs?: boolean;
  /**
   * CloudWatch Logs group the instances write to (one stream per instance id). Baked into the image.
   * @default "/<name>/nativelink"
   */
  readonly logGroupName?: string;
  /**
   * SSM parameter names holding the parent AMI per architecture (Image Builder reads them at bake time).
   * @default Ubuntu 24.04 LTS: "/aws/service/canonical/ubuntu/server/24.04/stable/current/{amd64,arm64}/hvm/ebs-gp3/ami-id"
   */
  readonly baseImageSsmParameters?: PerArchitecture<string>;
  /**
   * Instance types of the build and test instances, per architecture (tried in order).
   * @default { x86_64: ["m6i.large", "m5.large"], arm64: ["m7g.large", "m6g.large"] }
   */
  readonly builderInstanceTypes?: PerArchitecture<readonly string[]>;
  /**
   * Keep a failed build or test instance running for debugging (Image Builder's
   * `terminateInstanceOnFailure = false`), the successor of the original's `terminate_ami_builder=false`.
   * Changing it does not rebake: it updates the infrastructure configurations in place.
   * @default false
   */
  readonly keepBuilderOnFailure?: boolean;
  /**
   * Size of the images' root volume (gp3, encrypted), in GiB. Instances can ask for more.
   * @default 16
   */
  readonly rootVolumeSizeGib?: number;
  /**
   * Run the components' test phase on an instance launched from each new AMI before it is published.
   * @default true
   */
  readonly imageTestsEnabled?: boolean;
  /**
   * Free-form revision that takes part in the images' content hash. Images are content-addressed: a
   * re-apply with the same inputs never rebakes. Change this (e.g. to a date) to rebake with the newest
   * Ubuntu AMI and packages while nothing else changed.
   * @default "1"
   */
  readonly bakeRevision?: string;
  /**
   * Tags for every resource created. The AMIs carry only `Name` and `nativelink:*` tags (deployment,
   * architecture, version, content hash): recipes are immutable, so a tag change would mean a rebake.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}
