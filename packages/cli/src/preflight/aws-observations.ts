// What AWS says about the caller and the domain's hosted zones; failures become answers, not exceptions,
// so preflight can report every check. STS and Route 53 are global services: any region reaches them.
import { GetHostedZoneCommand, ListHostedZonesByNameCommand, Route53Client, type HostedZone } from "@aws-sdk/client-route-53";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { awsClientConfig, type AwsTarget } from "../aws-clients.js";
import { describeAwsFailure } from "../aws-errors.js";
import type { Answer, AwsAnswerFailure, PublicZone } from "./checks.js";

export interface PreflightCallOptions {
  /**
   * How long a connected request may stay silent before it counts as unreachable.
   * @default 10_000
   */
  readonly socketTimeoutMs?: number;
  /**
   * Attempts per call, the first included: preflight answers "unreachable" in seconds rather than retrying for minutes.
   * @default 2
   */
  readonly maxAttempts?: number;
}

type Target = AwsTarget & { readonly region: string };

function clientConfig(target: Target, options: PreflightCallOptions) {
  return {
    ...awsClientConfig(target),
    maxAttempts: options.maxAttempts ?? 2,
    requestHandler: { connectionTimeout: 5_000, socketTimeout: options.socketTimeoutMs ?? 10_000 },
  };
}

interface RequestLike {
  readonly protocol?: string;
  readonly hostname?: string;
  readonly port?: number;
}

/** Remembers where the client last sent a request, so a failure to reach it can say where. */
function recordEndpoint(client: STSClient | Route53Client): () => string | undefined {
  let endpoint: string | undefined;
  (client as STSClient).middlewareStack.add(
    (next) => (args) => {
      const request = args.request as RequestLike | undefined;
      if (request?.hostname) endpoint = `${request.protocol ?? "https:"}//${request.hostname}${request.port ? `:${request.port}` : ""}`;
      return next(args);
    },
    { step: "finalizeRequest", name: "preflightRecordEndpoint" },
  );
  return () => endpoint;
}

function failure(error: unknown, endpoint: string | undefined): AwsAnswerFailure {
  const described = describeAwsFailure(error);
  const { name, message } = error as Error;
  return {
    ok: false,
    kind: described?.kind ?? "other",
    code: described?.code ?? (name || "Error"),
    message: described?.message ?? (message || String(error)),
    ...(endpoint ? { endpoint } : {}),
  };
}

export async function callerIdentity(target: Target, options: PreflightCallOptions = {}): Promise<Answer<{ account: string; arn: string }, AwsAnswerFailure>> {
  const sts = new STSClient(clientConfig(target, options));
  const endpoint = recordEndpoint(sts);
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    return { ok: true, value: { account: identity.Account ?? "?", arn: identity.Arn ?? "?" } };
  } catch (error) {
    return failure(error, endpoint());
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

export async function hostedZones(
  target: Target,
  domain: string,
  options: PreflightCallOptions = {},
): Promise<Answer<{ publicZones: PublicZone[]; privateZoneCount: number }, AwsAnswerFailure>> {
  const route53 = new Route53Client(clientConfig(target, options));
  const endpoint = recordEndpoint(route53);
  try {
    const zones = await zonesNamed(route53, domain);
    const publicZones: PublicZone[] = [];
    for (const zone of zones.filter((candidate) => !candidate.Config?.PrivateZone)) {
      const detail = await route53.send(new GetHostedZoneCommand({ Id: zone.Id }));
      publicZones.push({ id: (zone.Id ?? "").replace(/^\/hostedzone\//, ""), nameServers: detail.DelegationSet?.NameServers ?? [] });
    }
    return { ok: true, value: { publicZones, privateZoneCount: zones.length - publicZones.length } };
  } catch (error) {
    return failure(error, endpoint());
  } finally {
    route53.destroy();
  }
}
