import { checkDeploymentName } from "@nativelink-aws/conventions";
import type { Construct } from "constructs";
import { Token } from "./cdktf.js";
import { NativeLinkPropError } from "./errors.js";

export { DEFAULT_DEPLOYMENT_NAME, deploymentTags, physicalName } from "@nativelink-aws/conventions";

/**
 * Checks a deployment name by the rule every package shares (@nativelink-aws/conventions): 2 to 20 lowercase letters,
 * digits and hyphens, starting with a letter. Physical names are `<name>-<thing>`, so two deployments never clash.
 */
export function validateDeploymentName(scope: Construct, name: string): string {
  if (Token.isUnresolved(name)) {
    throw new NativeLinkPropError(
      scope.node.path,
      "name",
      "it is a Terraform token, but physical names are derived from it at synth time",
      'pass a literal string such as "nativelink"',
      name,
    );
  }
  return checkDeploymentName(scope.node.path, name);
}
