// The preflight decision, table-tested: observations in, verdicts and exit code out.
import { describe, expect, it } from "vitest";
import type { AwsFailureKind } from "../src/aws-errors.js";
import { evaluatePreflight, preflightExitCode, preflightRegion, type PreflightObservations } from "../src/preflight/checks.js";
import { resolverFlag } from "../src/preflight/public-dns.js";

const domain = "build.example.com";
const servers = ["ns-1.awsdns-01.com", "ns-2.awsdns-02.net"];
const identity = { ok: true, value: { account: "111122223333", arn: "arn:aws:iam::111122223333:user/dev" } } as const;
const zone = { id: "Z1", nameServers: servers };
const base: PreflightObservations = {
  domain,
  identity,
  zones: { ok: true, value: { publicZones: [zone], privateZoneCount: 0 } },
  delegation: { ok: true, value: servers },
  resolverName: "the system resolver",
};
const failed = (code: string) => ({ ok: false, code, message: "boom" }) as const;
const awsFailed = (kind: AwsFailureKind, code: string, endpoint?: string) =>
  ({ ok: false, kind, code, message: "boom", ...(endpoint ? { endpoint } : {}) }) as const;

describe("evaluatePreflight", () => {
  it.each<[string, Partial<PreflightObservations>, [string, string, string], number]>([
    ["everything ready", {}, ["pass", "pass", "pass"], 0],
    [
      "delegation answered in another case with trailing dots",
      { delegation: { ok: true, value: ["NS-2.AWSDNS-02.NET.", "ns-1.awsdns-01.com."] } },
      ["pass", "pass", "pass"],
      0,
    ],
    ["credentials rejected", { identity: awsFailed("credentials", "InvalidClientTokenId"), zones: undefined }, ["fail", "skipped", "skipped"], 3],
    ["STS unreachable", { identity: awsFailed("unreachable", "ENOTFOUND"), zones: undefined }, ["fail", "skipped", "skipped"], 3],
    ["Route 53 refused", { zones: awsFailed("denied", "AccessDenied") }, ["pass", "fail", "skipped"], 3],
    ["Route 53 timed out", { zones: awsFailed("unreachable", "TimeoutError") }, ["pass", "fail", "skipped"], 3],
    ["no zone at all", { zones: { ok: true, value: { publicZones: [], privateZoneCount: 0 } } }, ["pass", "fail", "skipped"], 1],
    ["only a private zone", { zones: { ok: true, value: { publicZones: [], privateZoneCount: 1 } } }, ["pass", "fail", "skipped"], 1],
    ["delegated elsewhere", { delegation: { ok: true, value: ["ns1.registrar.example"] } }, ["pass", "pass", "fail"], 1],
    ["delegation to a subset of the zone's servers", { delegation: { ok: true, value: [servers[0] ?? ""] } }, ["pass", "pass", "fail"], 1],
    ["no NS records (NXDOMAIN)", { delegation: failed("ENOTFOUND") }, ["pass", "pass", "fail"], 1],
    ["resolver timed out", { delegation: failed("ETIMEOUT") }, ["pass", "pass", "fail"], 1],
    [
      "two zones of that name, the second delegated",
      { zones: { ok: true, value: { publicZones: [{ id: "Z0", nameServers: ["ns-9.awsdns-09.org"] }, zone], privateZoneCount: 0 } } },
      ["pass", "pass", "pass"],
      0,
    ],
  ])("%s", (_, change, statuses, exitCode) => {
    const results = evaluatePreflight({ ...base, ...change });
    expect(results.map((result) => result.status)).toEqual(statuses);
    expect(preflightExitCode(results)).toBe(exitCode);
    for (const result of results) if (result.status === "fail") expect(result.fix?.length).toBeGreaterThan(0);
  });

  it("a missing zone's fix is the README's steps 1-3, a wrong delegation's is steps 4-5 with the name servers", () => {
    const [, noZone] = evaluatePreflight({ ...base, zones: { ok: true, value: { publicZones: [], privateZoneCount: 0 } } });
    expect(noZone?.fix).toEqual([
      "1. Login to AWS and go to Route53 (https://console.aws.amazon.com/route53/v2/hostedzones)",
      "2. Click `Create hosted zone`",
      "3. Enter build.example.com as the domain name and ensure it's a `Public hosted zone`",
    ]);
    const [, , wrong] = evaluatePreflight({ ...base, delegation: { ok: true, value: ["ns1.registrar.example"] } });
    expect(wrong?.fix?.[0]).toBe(
      "4. Click into the hosted zone build.example.com and expand `Hosted zone details` and copy the `Name servers`: ns-1.awsdns-01.com ns-2.awsdns-02.net",
    );
    expect(wrong?.fix?.[1]).toMatch(
      new RegExp(
        "^5\\. In the DNS server that your domain is currently hosted under \\(it may be " +
          "another Route53 hosted zone\\) create a new `NS` record for build.example.com",
      ),
    );
  });
});

describe("a failed AWS call is worded by why it failed", () => {
  const endpoint = "https://sts.us-east-1.amazonaws.com";
  it.each<[AwsFailureKind, string, RegExp, RegExp]>([
    ["credentials", "InvalidClientTokenId", /^AWS did not accept the credentials \(InvalidClientTokenId: boom\)$/, /credentialed user/],
    ["credentials", "CredentialsProviderError", /^no AWS credentials found \(CredentialsProviderError: boom\)$/, /aws sso login/],
    [
      "unreachable",
      "ENOTFOUND",
      new RegExp(`^could not reach AWS STS at ${endpoint} \\(ENOTFOUND: boom\\); the credentials are not tested yet$`),
      /network connection and DNS/,
    ],
    ["unreachable", "TimeoutError", /^could not reach AWS STS at .* \(TimeoutError: boom\)/, /AWS_ENDPOINT_URL/],
    ["region", "Error", /^no usable AWS region \(Error: boom\); the credentials are not tested yet$/, /--region REGION .* AWS_REGION/],
    ["denied", "AccessDenied", /^AWS STS denied the request/, /sts:GetCallerIdentity/],
    ["other", "InternalFailure", /^AWS STS failed to answer \(InternalFailure: boom\)$/, /Run preflight again/],
  ])("identity %s (%s)", (kind, code, summary, fix) => {
    const [credentials, zone] = evaluatePreflight({ ...base, identity: awsFailed(kind, code, endpoint), zones: undefined });
    expect(credentials?.summary).toMatch(summary);
    expect(credentials?.fix?.join("\n")).toMatch(fix);
    expect(credentials?.awsError).toBe(true);
    expect(zone?.status).toBe("skipped");
  });

  it("the zone check is worded the same way, naming Route 53", () => {
    const [, zone] = evaluatePreflight({ ...base, zones: awsFailed("unreachable", "ECONNREFUSED", "https://route53.amazonaws.com") });
    expect(zone?.summary).toBe("could not reach Route 53 at https://route53.amazonaws.com (ECONNREFUSED: boom)");
    const [, denied] = evaluatePreflight({ ...base, zones: awsFailed("denied", "AccessDenied") });
    expect(denied?.fix).toEqual(["Use an identity allowed route53:ListHostedZonesByName and route53:GetHostedZone (--profile NAME)"]);
  });
});

describe("preflightRegion", () => {
  it.each([
    [undefined, { name: "us-east-1", configured: false }],
    ["", { name: "us-east-1", configured: false }],
    ["eu-west-2", { name: "eu-west-2", configured: true }],
  ])("%j → %j", (configured, region) => {
    expect(preflightRegion(configured)).toEqual(region);
  });
});

describe("--resolver", () => {
  it.each([
    ["8.8.8.8", "8.8.8.8"],
    ["127.0.0.1:5353", "127.0.0.1:5353"],
    ["::1", "::1"],
    ["[::1]:5353", "[::1]:5353"],
    ["[2001:db8::53]", "2001:db8::53"],
  ])("%s → %s", (text, server) => {
    expect(resolverFlag.parse(text)).toBe(server);
  });

  it.each(["dns.google", "1.2.3.4:0", "1.2.3.4:99999", "[::1]:x", ""])("%j is refused", (text) => {
    expect(resolverFlag.safeParse(text).success).toBe(false);
  });
});
