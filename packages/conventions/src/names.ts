import { NativeLinkPropError } from "./errors.js";

/** The default deployment name, as in the original (`nativelink-cas-bucket-…`). */
export const DEFAULT_DEPLOYMENT_NAME = "nativelink";

/**
 * Deployment names feed every physical name: `<name>-<thing>`. 20 characters leave room for the longest suffix under
 * AWS's tightest limit (load balancer and target group names, 32 characters: `<name>-scheduler-grpc` falls back to
 * `<name>-scheduler`).
 */
export const DEPLOYMENT_NAME_PATTERN = /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/;

/** The rule in words, for messages and help texts. */
export const DEPLOYMENT_NAME_RULE = "2-20 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen";

/** What is wrong with a deployment name, or undefined when it is one. */
export function deploymentNameProblem(name: unknown): string | undefined {
  if (typeof name !== "string") return `${JSON.stringify(name)} is not a string`;
  return DEPLOYMENT_NAME_PATTERN.test(name) ? undefined : `"${name}" is not ${DEPLOYMENT_NAME_RULE}`;
}

/**
 * The deployment name of the construct at `constructPath`, checked: a NativeLinkPropError names the value and the fix.
 * A Terraform token must be refused before this (physical names are derived from the name at synth time).
 */
export function checkDeploymentName(constructPath: string, name: unknown, prop = "name"): string {
  const problem = deploymentNameProblem(name);
  if (problem !== undefined) throw new NativeLinkPropError(constructPath, prop, problem, 'use a short DNS-style name such as "nativelink" or "ci-cache"', name);
  return name as string;
}

/** `<name>-<suffix>`: the one place physical names are formed. */
export function physicalName(deploymentName: string, suffix: string): string {
  return `${deploymentName}-${suffix}`;
}

/** Tag keys every package writes or reads. */
export const TAG_KEYS = {
  /** On every taggable resource: the deployment's name. */
  deployment: "nativelink:deployment",
  /** On instances: `cas`, `scheduler` or `worker`, equal to role.env's `NATIVELINK_ROLE` (the bootstrap checks). */
  role: "nativelink:role",
  /** On instances: the fleet id, e.g. `workers-arm64`. */
  fleet: "nativelink:fleet",
  /** The writer contract: the resource keeps the DNS record named by the value true (`NL-DNS-1`). */
  dnsRecordWriter: "nativelink:dns-record-writer",
} as const;

/** Tags applied to every taggable resource of a deployment. */
export function deploymentTags(deploymentName: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { [TAG_KEYS.deployment]: deploymentName, ...extra };
}
