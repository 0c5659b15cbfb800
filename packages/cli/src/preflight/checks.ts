// The preflight decision: from what AWS and public DNS said, each check's verdict and, on failure, the fix
// in the words of the original README's prerequisite steps. Pure, so every branch is table-tested.

export type Answer<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: string; readonly message: string };

export interface PublicZone {
  readonly id: string;
  readonly nameServers: readonly string[];
}

export interface PreflightObservations {
  readonly domain: string;
  readonly identity: Answer<{ readonly account: string; readonly arn: string }>;
  /** Undefined when not asked (credentials failed). */
  readonly zones?: Answer<{ readonly publicZones: readonly PublicZone[]; readonly privateZoneCount: number }>;
  /** The NS names public DNS returns for the domain. */
  readonly delegation: Answer<readonly string[]>;
  /** The resolver asked, for messages: "the system resolver" or an address. */
  readonly resolverName: string;
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
    `5. In the DNS server that your domain is currently hosted under (it may be another Route53 hosted zone) create a new \`NS\` record for ${domain}. The value should be the \`Name servers\` from Step 4`,
    "It may take a few minutes to propagate.",
  ];
}

function checkCredentials(observations: PreflightObservations): CheckResult {
  const { identity } = observations;
  if (identity.ok) return { id: "credentials", status: "pass", summary: `account ${identity.value.account} as ${identity.value.arn}` };
  return {
    id: "credentials",
    status: "fail",
    awsError: true,
    summary: `AWS did not accept the credentials (${identity.code}: ${identity.message})`,
    fix: [`Ensure you have a configured AWS CLI IAM credentialed user (${CREDENTIALS_DOC}), or pass --profile NAME / set AWS_PROFILE`],
  };
}

function checkZone(observations: PreflightObservations): CheckResult {
  const { zones, domain } = observations;
  if (!zones) return { id: "hosted-zone", status: "skipped", summary: "needs working credentials" };
  if (!zones.ok) {
    return { id: "hosted-zone", status: "fail", awsError: true, summary: `Route 53 did not list hosted zones (${zones.code}: ${zones.message})`, fix: ["Use an identity allowed route53:ListHostedZonesByName and route53:GetHostedZone (--profile NAME)"] };
  }
  const { publicZones, privateZoneCount } = zones.value;
  if (publicZones.length === 0) {
    const privateNote = privateZoneCount > 0 ? ` (${privateZoneCount} private zone${privateZoneCount > 1 ? "s" : ""} of that name exist; private zones don't count)` : "";
    return { id: "hosted-zone", status: "fail", summary: `no public hosted zone named ${domain}${privateNote}`, fix: createZoneFix(domain) };
  }
  const ids = publicZones.map((zone) => zone.id).join(", ");
  return { id: "hosted-zone", status: "pass", summary: `public hosted zone ${ids}${publicZones.length > 1 ? ` (${publicZones.length} zones share the name; the delegated one is used)` : ""}` };
}

function checkDelegation(observations: PreflightObservations): CheckResult {
  const { delegation, zones, domain, resolverName } = observations;
  const publicZones = zones?.ok ? zones.value.publicZones : [];
  if (!delegation.ok) {
    const resolverTrouble = ["ETIMEOUT", "ECONNREFUSED", "ECONNRESET", "EREFUSED", "ESERVFAIL"].includes(delegation.code);
    const summary = `${resolverName} answered no NS records for ${domain} (${delegation.code})`;
    if (resolverTrouble) return { id: "delegation", status: "fail", summary, fix: [`Check that ${resolverName} answers DNS queries (--resolver HOST[:PORT] picks another one)`] };
    return { id: "delegation", status: "fail", summary, fix: publicZones.length > 0 ? delegateFix(domain, publicZones) : [...createZoneFix(domain), ...delegateFix(domain, [])] };
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
