/**
 * The release assets an image installs: NativeLink's static (musl) tarballs and the OpenTelemetry collector's
 * (otelcol-contrib). One place for their names and addresses, shared by the lock command and the image bake.
 */

/** The CPU architectures of the images, spelled as EC2 spells them. */
export type ReleaseArchitecture = "x86_64" | "arm64";
export const RELEASE_ARCHITECTURES: readonly ReleaseArchitecture[] = ["x86_64", "arm64"];

/** The release tools of an image. */
export type ReleaseTool = "nativelink" | "otelcol";
export const RELEASE_TOOLS: readonly ReleaseTool[] = ["nativelink", "otelcol"];

/** Rust target triple of NativeLink's release tarballs, per architecture. */
const RUST_TARGETS: Readonly<Record<ReleaseArchitecture, string>> = { x86_64: "x86_64-unknown-linux-musl", arm64: "aarch64-unknown-linux-musl" };
/** Debian architecture, as otelcol-contrib names its assets. */
const DEBIAN_ARCHITECTURES: Readonly<Record<ReleaseArchitecture, string>> = { x86_64: "amd64", arm64: "arm64" };

/** Where each tool publishes: `<base>/v<version>/<asset>`. */
export const DEFAULT_RELEASE_BASE_URLS: Readonly<Record<ReleaseTool, string>> = {
  nativelink: "https://github.com/TraceMachina/nativelink/releases/download",
  otelcol: "https://github.com/open-telemetry/opentelemetry-collector-releases/releases/download",
};

/** otelcol-contrib release the schedulers' collector runs; its configuration is tested against this release. */
export const DEFAULT_OTELCOL_VERSION = "0.161.0";

/** `nativelink-<version>-<rust target>.tar.gz` or `otelcol-contrib_<version>_linux_<debian arch>.tar.gz`. */
export function releaseAssetName(tool: ReleaseTool, version: string, architecture: ReleaseArchitecture): string {
  return tool === "nativelink"
    ? `nativelink-${version}-${RUST_TARGETS[architecture]}.tar.gz`
    : `otelcol-contrib_${version}_linux_${DEBIAN_ARCHITECTURES[architecture]}.tar.gz`;
}

/** `<base>/v<version>/<asset>`: the layout of GitHub release downloads, and of mirrors that copy it. */
export function releaseAssetUrl(baseUrl: string, version: string, asset: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/v${version}/${asset}`;
}
