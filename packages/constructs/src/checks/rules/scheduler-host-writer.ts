import type { CheckRule, StackItem, StackView } from "../rule.js";
import { roleEnvValue, userDataText } from "../user-data-text.js";

/**
 * The tag that says "this resource keeps DNS record X true" (the contract of docs/DESIGN.md): `SchedulerDnsRecord`
 * of @nativelink-aws/dns-lambda tags its function with it; anything else that writes the record can too.
 */
export const DNS_RECORD_WRITER_TAG = "nativelink:dns-record-writer";

const normalized = (name: string) => name.toLowerCase().replace(/\.$/, "");

/** Names an `aws_route53_record` may give: as written, or relative to its zone. */
function recordNames(record: StackItem, stack: StackView): string[] {
  const name = String(record.config.name ?? "");
  const zoneName = stack.referenced(record.config.zone_id)?.config.name;
  return typeof zoneName === "string" ? [name, `${name}.${zoneName}`] : [name];
}

function hasWriter(host: string, stack: StackView): boolean {
  const wanted = normalized(host);
  if (stack.ofType("aws_route53_record").some((record) => recordNames(record, stack).some((name) => normalized(name) === wanted))) return true;
  return stack.items.some((item) => {
    const tag = (item.config.tags as Record<string, unknown> | undefined)?.[DNS_RECORD_WRITER_TAG];
    return typeof tag === "string" && normalized(tag) === wanted;
  });
}

export const schedulerHostWriter: CheckRule = {
  id: "NL-DNS-1",
  severity: "error",
  title: "The scheduler host the workers dial has a writer",
  explanation: "Workers connect to the NATIVELINK_SCHEDULER_HOST of their user data; when nothing writes that DNS record, no worker ever finds the scheduler.",
  fix:
    "add SchedulerDnsRecord from @nativelink-aws/dns-lambda with hostedZoneId = cluster.endpoints.privateZoneId, recordName = " +
    "cluster.endpoints.schedulerInternalDomainName and schedulerAutoScalingGroupName = cluster.scheduler.autoScalingGroup.name, or use " +
    "NativeLinkDeployment from @nativelink-aws/deployment, which wires it; a record written another way needs an aws_route53_record of that name, " +
    `a resource tagged ${DNS_RECORD_WRITER_TAG} = <host>, or suppressCheck(cluster, "NL-DNS-1", "<who writes it>")`,
  resourceTypes: ["aws_launch_template"],
  check(template, stack) {
    const host = roleEnvValue(userDataText(template.config.user_data), "NATIVELINK_SCHEDULER_HOST");
    if (host === undefined || hasWriter(host, stack)) return [];
    return [`nothing in the stack writes ${host}, the NATIVELINK_SCHEDULER_HOST of its user data`];
  },
};
