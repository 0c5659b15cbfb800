// The preflight decision: from what AWS and public DNS said, each check's verdict and, on failure, the fix
// in the words of the original README's prerequisite steps. Pure, so every branch is table-tested.
import { regionFix, unreachableFix, type AwsFailureKind } from "../aws-errors.js";

export interface AnswerFailure {
  readonly ok: false;
  readonly code: string;
  readonly message: string;
}

/** An AWS call that failed, with why (describeAwsFailure) and, when known, the endpoint it tried. */
export interface AwsAnswerFailure extends AnswerFailure {
  readonly kind: AwsFailureKind;
  /** e.g. `https://sts.us-east-1.amazonaws.com` */
  readonly endpoint?: string;
}

export type Answer<T, Failure extends AnswerFailure = AnswerFailure> = { readonly ok: true; readonly value: T } | Failure;

export interface PublicZone {
  readonly id: string;
  readonly nameServers: readonly string[];
}

export interface PreflightObservations {
  readonly domain: string;
  readonly identity: Answer<{ readonly account: string; readonly arn: string }, AwsAnswerFailure>;
  /** Undefined when not asked (the identity check failed). */
  readonly zones?: Answer<{ readonly publicZones: readonly PublicZone[]; readonly privateZoneCount: number }, AwsAnswerFailure>;
  /** The NS names public DNS returns for the domain. */
  readonly delegation: Answer<readonly string[]>;
  /** The resolver asked, for messages: "the system resolver" or an address. */
  readonly resolverName: string;
}

/** STS and Route 53 are global: without a configured region, preflight asks them through this one. */
export const PREFLIGHT_DEFAULT_REGION = "us-east-1";

export interface PreflightRegion {
  readonly name: string;
  /** False when no region was configured and preflight used its default. */
  readonly configured: boolean;
}

/** The region preflight's calls go through: the configured one (--region, AWS_REGION, the profile), else the default. */
export function preflightRegion(configured: string | undefined): PreflightRegion {
  return configured ? { name: configured, configured: true } : { name: PREFLIGHT_DEFAULT_REGION, configured: false };
}

export type CheckId = "credentials" | "hosted-zone" | "delegation";

export interface CheckResult {
  readonly id: CheckId;
  readonly status: "pass" | "fail" | "skipped";
  /** Why a failure is not the user's setup but AWS refusing or failing to answer (exit code 3). */
  readonly awsError?: boolean;
  readonly summary: string;
  readonly fix?: readonly string[];
}

const CONSOLE = "https://console.aws.amazon.com/route53/v2/hostedzones";
const CREDENTIALS_DOC = "https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html";

/** `NS1.Example.COM.` and `ns1.example.com` are the same name server. */
export function normalizeHostName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}

function sameNameServers(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a.map(normalizeHostName));
  const right = new Set(b.map(normalizeHostName));
  return left.size === right.size && [...left].every((name) => right.has(name));
}

function createZoneFix(domain: string): string[] {
  return [
    `1. Login to AWS and go to Route53 (${CONSOLE})`,
    "2. Click `Create hosted zone`",
    `3. Enter ${domain} as the domain name and ensure it's a \`Public hosted zone\``,
  ];
}

function delegateFix(domain: string, zones: readonly PublicZone[]): string[] {
  const servers = zones.map((zone) => `${zone.nameServers.map(normalizeHostName).join(" ")}${zones.length > 1 ? ` (zone ${zone.id})` : ""}`);
  return [
    `4. Click into the hosted zone ${domain} and expand \`Hosted zone details\` and copy the \`Name servers\`: ${servers.join("; or ")}`,
    `5. In the DNS server that your domain is currently hosted under (it may be another Route53 hosted zone) ` +
      `create a new \`NS\` record for ${domain}. The value should be the \`Name servers\` from Step 4`,
    "It may take a few minutes to propagate.",
  ];
}

/** The summary and fix for an AWS call that failed, by why it failed. */
function awsFailure(service: string, failure: AwsAnswerFailure, deniedFix: string): { summary: string; fix: string[] } {
  const detail = `${failure.code}: ${failure.message}`;
  switch (failure.kind) {
    case "credentials": {
      const found = failure.code !== "CredentialsProviderError";
      return {
        summary: found ? `AWS did not accept the credentials (${detail})` : `no AWS credentials found (${detail})`,
        fix: [
          `Ensure you have a configured AWS CLI IAM credentialed user (${CREDENTIALS_DOC}), or pass --profile NAME / set AWS_PROFILE`,
          "For an SSO profile, run `aws sso login --profile NAME` first",
        ],
      };
    }
    case "unreachable":
      return { summary: `could not reach ${service}${failure.endpoint ? ` at ${failure.endpoint}` : ""} (${detail})`, fix: [unreachableFix] };
    case "region":
      return { summary: `no usable AWS region (${detail})`, fix: [regionFix] };
    case "denied":
      return { summary: `${service} denied the request (${detail})`, fix: [deniedFix] };
    case "other":
      return {
        summary: `${service} failed to answer (${detail})`,
        fix: ["Run preflight again; if it persists, check https://health.aws.amazon.com/health/status"],
      };
  }
}

function checkCredentials(observations: PreflightObservations): CheckResult {
  const { identity } = observations;
  if (identity.ok) return { id: "credentials", status: "pass", summary: `account ${identity.value.account} as ${identity.value.arn}` };
  const { summary, fix } = awsFailure("AWS STS", identity, "Use an identity allowed sts:GetCallerIdentity (--profile NAME)");
  // Only AWS can tell whether credentials work: when it was not asked, say so rather than blame them.
  const untested = identity.kind === "unreachable" || identity.kind === "region" ? "; the credentials are not tested yet" : "";
  return { id: "credentials", status: "fail", awsError: true, summary: `${summary}${untested}`, fix };
}

/** Why the zone check did not run, from why the identity check failed. */
const zoneSkippedBecause: Record<AwsFailureKind, string> = {
  credentials: "needs working credentials",
  unreachable: "needs AWS to be reachable",
  region: "needs a usable region",
  denied: "needs an identity that AWS STS accepts",
  other: "needs AWS STS to answer",
};

function checkZone(observations: PreflightObservations): CheckResult {
  const { zones, domain, identity } = observations;
  if (!zones) return { id: "hosted-zone", status: "skipped", summary: identity.ok ? "not asked" : zoneSkippedBecause[identity.kind] };
  if (!zones.ok) {
    const allowed = "Use an identity allowed route53:ListHostedZonesByName and route53:GetHostedZone (--profile NAME)";
    return { id: "hosted-zone", status: "fail", awsError: true, ...awsFailure("Route 53", zones, allowed) };
  }
  const { publicZones, privateZoneCount } = zones.value;
  if (publicZones.length === 0) {
    const privateNote =
      privateZoneCount > 0 ? ` (${privateZoneCount} private zone${privateZoneCount > 1 ? "s" : ""} of that name exist; private zones don't count)` : "";
    return { id: "hosted-zone", status: "fail", summary: `no public hosted zone named ${domain}${privateNote}`, fix: createZoneFix(domain) };
  }
  const ids = publicZones.map((zone) => zone.id).join(", ");
  return {
    id: "hosted-zone",
    status: "pass",
    summary: `public hosted zone ${ids}${publicZones.length > 1 ? ` (${publicZones.length} zones share the name; the delegated one is used)` : ""}`,
  };
}

function checkDelegation(observations: PreflightObservations): CheckResult {
  const { delegation, zones, domain, resolverName } = observations;
  const publicZones = zones?.ok ? zones.value.publicZones : [];
  if (!delegation.ok) {
    const resolverTrouble = ["ETIMEOUT", "ECONNREFUSED", "ECONNRESET", "EREFUSED", "ESERVFAIL"].includes(delegation.code);
    const summary = `${resolverName} answered no NS records for ${domain} (${delegation.code})`;
    if (resolverTrouble)
      return { id: "delegation", status: "fail", summary, fix: [`Check that ${resolverName} answers DNS queries (--resolver HOST[:PORT] picks another one)`] };
    return {
      id: "delegation",
      status: "fail",
      summary,
      fix: publicZones.length > 0 ? delegateFix(domain, publicZones) : [...createZoneFix(domain), ...delegateFix(domain, [])],
    };
  }
  const answered = delegation.value.map(normalizeHostName).sort();
  if (publicZones.length === 0) {
    return { id: "delegation", status: "skipped", summary: `no public hosted zone to compare with (public DNS answers ${answered.join(" ")})` };
  }
  const delegated = publicZones.find((zone) => sameNameServers(zone.nameServers, answered));
  if (delegated) return { id: "delegation", status: "pass", summary: `public DNS delegates ${domain} to zone ${delegated.id} (${answered.join(" ")})` };
  return {
    id: "delegation",
    status: "fail",
    summary: `public DNS delegates ${domain} to ${answered.join(" ")}, not to the hosted zone's name servers`,
    fix: delegateFix(domain, publicZones),
  };
}

/** Every check's verdict, in the order the README's steps take them. */
export function evaluatePreflight(observations: PreflightObservations): CheckResult[] {
  return [checkCredentials(observations), checkZone(observations), checkDelegation(observations)];
}

/** 3 when AWS refused or failed to answer, 1 when the setup is not ready, 0 when every check passed. */
export function preflightExitCode(results: readonly CheckResult[]): 0 | 1 | 3 {
  if (results.some((result) => result.status === "fail" && result.awsError)) return 3;
  if (results.some((result) => result.status === "fail")) return 1;
  return 0;
}
