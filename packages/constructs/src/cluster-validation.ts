import type { Construct } from "constructs";
import type { NativeLinkClusterProps } from "./cluster-props.js";
import { NativeLinkPropError } from "./errors.js";

/** Checks of the cluster's props that span several of them; each names the prop and the fix. */
export function validateClusterProps(scope: Construct, props: NativeLinkClusterProps): void {
  if (props.vpc && props.existingNetwork) {
    throw new NativeLinkPropError(
      scope.node.path,
      "vpc",
      "both vpc and existingNetwork are set",
      "set vpc to configure a new VPC, or existingNetwork to use yours, not both",
    );
  }
  for (const architecture of ["x86_64", "arm64"] as const) {
    if (!props.images?.[architecture]) {
      throw new NativeLinkPropError(
        scope.node.path,
        `images.${architecture}`,
        "no AMI id is given",
        "pass the AMI ids built by @nativelink-aws/ami-builder, or existing ones, for both architectures",
      );
    }
  }
  for (const cidr of props.allowSshFrom ?? []) {
    if (cidr === "0.0.0.0/0" || cidr === "::/0") {
      throw new NativeLinkPropError(
        scope.node.path,
        "allowSshFrom",
        `${cidr} opens SSH to the whole internet`,
        "list only the networks you administer from (a VPN or bastion range), or use SSM Session Manager",
      );
    }
  }
}
