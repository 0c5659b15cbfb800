import type { Architecture } from "@nativelink-aws/conventions";

/** The CPU architectures the images are baked for, spelled as EC2 spells them (`DescribeImages`): the shared ones. */
export { ARCHITECTURES, type Architecture } from "@nativelink-aws/conventions";

/** One value per architecture, e.g. the AMI ids `{ x86_64: "ami-…", arm64: "ami-…" }`. */
export type PerArchitecture<T> = { readonly [A in Architecture]: T };

/** How upstream release assets and Debian/Ubuntu name each architecture. */
export interface ArchitectureNames {
  /** Rust target triple of NativeLink's static (musl) release tarballs. */
  readonly rustTarget: string;
  /** Debian architecture: Ubuntu's SSM parameters, otelcol-contrib and the CloudWatch agent use it. */
  readonly debian: string;
}

export const ARCHITECTURE_NAMES: PerArchitecture<ArchitectureNames> = {
  x86_64: { rustTarget: "x86_64-unknown-linux-musl", debian: "amd64" },
  arm64: { rustTarget: "aarch64-unknown-linux-musl", debian: "arm64" },
};

/** Builds a per-architecture value from a function of the architecture. */
export function perArchitecture<T>(make: (architecture: Architecture) => T): PerArchitecture<T> {
  return { x86_64: make("x86_64"), arm64: make("arm64") };
}
