import { Token } from "./cdktf.js";
import type { Construct } from "constructs";
import { NativeLinkPropError } from "./errors.js";

/** Deployment names feed every physical name; ALB and target group names allow 32 characters. */
const DEPLOYMENT_NAME = /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/;

/** The default deployment name, as in the original (`nativelink-cas-bucket-…`). */
export const DEFAULT_DEPLOYMENT_NAME = "nativelink";

/**
 * Checks a deployment name: lowercase letters, digits and hyphens, 2 to 20 characters, starting with a
 * letter. Physical names are `<name>-<thing>`, so two deployments with different names never clash.
 */
export function validateDeploymentName(scope: Construct, name: string): string {
  if (Token.isUnresolved(name)) {
    throw new NativeLinkPropError(
      scope.node.path,
      "name",
      "it is a Terraform token, but physical names are derived from it at synth time",
      'pass a literal string such as "nativelink"',
    );
  }
  if (!DEPLOYMENT_NAME.test(name)) {
    throw new NativeLinkPropError(
      scope.node.path,
      "name",
      `"${name}" is not 2-20 lowercase letters, digits or hyphens starting with a letter`,
      'use a short DNS-style name such as "nativelink" or "ci-cache"',
    );
  }
  return name;
}

/** `<name>-<suffix>`: the one place physical names are formed. */
export function physicalName(deploymentName: string, suffix: string): string {
  return `${deploymentName}-${suffix}`;
}

/** Tags applied to every taggable resource of a deployment. */
export function deploymentTags(deploymentName: string, extra: Record<string, string> = {}): Record<string, string> {
  return { "nativelink:deployment": deploymentName, ...extra };
}
