import type { Route53Client } from "@aws-sdk/client-route-53";
import { recordedRequests } from "../../../../tools/moto/moto-server.js";

/** Counts the ChangeResourceRecordSets calls a client sends, with a middleware on its own stack (no mocking). */
export function countChangeCalls(route53: Route53Client): { readonly count: number } {
  const counter = { count: 0 };
  route53.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === "ChangeResourceRecordSetsCommand") counter.count += 1;
      return next(args);
    },
    { step: "initialize", name: "countChangeResourceRecordSets" },
  );
  return counter;
}

/** Route 53 requests moto received for one zone, from its request recorder: `change` is ChangeResourceRecordSets. */
export async function zoneRequests(endpoint: string, hostedZoneId: string): Promise<{ change: number; list: number }> {
  const rrset = new RegExp(`/hostedzone/${hostedZoneId}/rrset/?$`);
  const requests = (await recordedRequests(endpoint)).filter((request) => rrset.test(new URL(request.url, endpoint).pathname));
  return { change: requests.filter((request) => request.method === "POST").length, list: requests.filter((request) => request.method === "GET").length };
}
