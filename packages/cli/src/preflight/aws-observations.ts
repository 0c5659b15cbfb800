// What AWS says about the caller and the domain's hosted zones; failures become answers, not exceptions,
// so preflight can report every check.
import { GetHostedZoneCommand, ListHostedZonesByNameCommand, Route53Client, type HostedZone } from "@aws-sdk/client-route-53";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { awsClientConfig, type AwsTarget } from "../aws-clients.js";
import type { Answer, PublicZone } from "./checks.js";

function failure(error: unknown): { ok: false; code: string; message: string } {
  const { name, message } = error as Error;
  return { ok: false, code: name || "Error", message: message || String(error) };
}

export async function callerIdentity(target: AwsTarget): Promise<Answer<{ account: string; arn: string }>> {
  const sts = new STSClient(awsClientConfig(target));
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    return { ok: true, value: { account: identity.Account ?? "?", arn: identity.Arn ?? "?" } };
  } catch (error) {
    return failure(error);
  } finally {
    sts.destroy();
  }
}

/** Hosted zones named exactly `domain`: ListHostedZonesByName starts at the name, so only the first pages matter. */
async function zonesNamed(route53: Route53Client, domain: string): Promise<HostedZone[]> {
  const wanted = `${domain}.`;
  const found: HostedZone[] = [];
  let start: { DNSName?: string; HostedZoneId?: string } = { DNSName: domain };
  for (;;) {
    const page = await route53.send(new ListHostedZonesByNameCommand({ ...start, MaxItems: 100 }));
    const zones = page.HostedZones ?? [];
    found.push(...zones.filter((zone) => zone.Name?.toLowerCase() === wanted));
    const movedPast = zones.some((zone) => zone.Name?.toLowerCase() !== wanted);
    if (!page.IsTruncated || movedPast) return found;
    start = { DNSName: page.NextDNSName, HostedZoneId: page.NextHostedZoneId };
  }
}

export async function hostedZones(target: AwsTarget, domain: string): Promise<Answer<{ publicZones: PublicZone[]; privateZoneCount: number }>> {
  const route53 = new Route53Client(awsClientConfig(target));
  try {
    const zones = await zonesNamed(route53, domain);
    const publicZones: PublicZone[] = [];
    for (const zone of zones.filter((candidate) => !candidate.Config?.PrivateZone)) {
      const detail = await route53.send(new GetHostedZoneCommand({ Id: zone.Id }));
      publicZones.push({ id: (zone.Id ?? "").replace(/^\/hostedzone\//, ""), nameServers: detail.DelegationSet?.NameServers ?? [] });
    }
    return { ok: true, value: { publicZones, privateZoneCount: zones.length - publicZones.length } };
  } catch (error) {
    return failure(error);
  } finally {
    route53.destroy();
  }
}
