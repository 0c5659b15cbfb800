import { ROLE_ENV_KEYS, TAG_KEYS } from "@nativelink-aws/conventions";
import { addressOf, blocks, type CheckRule, type StackItem, type StackView } from "../rule.js";
import { roleEnvValue, userDataText } from "../user-data-text.js";

/**
 * The tag that says "this resource keeps DNS record X true" (the contract of docs/DESIGN.md): `SchedulerDnsRecord`
 * of @nativelink-aws/dns-lambda tags its function with it; anything else that writes the record can too.
 */
export const DNS_RECORD_WRITER_TAG = TAG_KEYS.dnsRecordWriter;

const normalized = (name: string) => name.toLowerCase().replace(/\.$/, "");

/** Names an `aws_route53_record` may give: as written, or relative to its zone. */
function recordNames(record: StackItem, stack: StackView): string[] {
  const name = String(record.config.name ?? "");
  const zoneName = stack.referenced(record.config.zone_id)?.config.name;
  return typeof zoneName === "string" ? [name, `${name}.${zoneName}`] : [name];
}

/**
 * The hosted zone of the stack that `host` belongs to: the one with the longest name that is `host` or a suffix of it,
 * a private zone before a public one of the same name (workers resolve inside the VPC).
 */
function zoneOf(host: string, stack: StackView): StackItem | undefined {
  const wanted = normalized(host);
  const isPrivate = (zone: StackItem) => (zone.kind === "resource" ? blocks(zone.config.vpc).length > 0 : zone.config.private_zone === true);
  return [...stack.ofType("aws_route53_zone"), ...stack.ofType("aws_route53_zone", "data")]
    .filter((zone) => typeof zone.config.name === "string")
    .filter((zone) => {
      const name = normalized(String(zone.config.name));
      return wanted === name || wanted.endsWith(`.${name}`);
    })
    .sort((a, b) => String(b.config.name).length - String(a.config.name).length || Number(isPrivate(b)) - Number(isPrivate(a)))[0];
}

/**
 * Why a writer tagged for `host` writes it where nobody looks: a function (SchedulerDnsRecord's) whose HOSTED_ZONE_ID
 * refers to another zone of the stack than the one `host` belongs to. Undefined when it is right or cannot be told.
 */
function wrongZone(writer: StackItem, host: string, stack: StackView): string | undefined {
  const zoneId = (blocks(writer.config.environment)[0]?.variables as Record<string, unknown> | undefined)?.HOSTED_ZONE_ID;
  const target = stack.referenced(zoneId);
  const expected = zoneOf(host, stack);
  if (target?.type !== "aws_route53_zone" || expected === undefined || target === expected) return undefined;
  return (
    `${addressOf(writer)} writes ${host} into ${addressOf(target)} (${String(target.config.name)}), but the name belongs to ` +
    `${addressOf(expected)} (${String(expected.config.name)}), so the workers never see the record`
  );
}

/** Problems with the writers of `host`: none when one writes it into its zone, or a record of that name exists. */
function writerProblems(host: string, stack: StackView): string[] {
  const wanted = normalized(host);
  if (stack.ofType("aws_route53_record").some((record) => recordNames(record, stack).some((name) => normalized(name) === wanted))) return [];
  const writers = stack.items.filter((item) => {
    const tag = (item.config.tags as Record<string, unknown> | undefined)?.[DNS_RECORD_WRITER_TAG];
    return typeof tag === "string" && normalized(tag) === wanted;
  });
  const wrong = writers.map((writer) => wrongZone(writer, host, stack));
  if (writers.length > 0 && wrong.some((problem) => problem === undefined)) return [];
  if (writers.length > 0) return wrong.filter((problem) => problem !== undefined);
  return [`nothing in the stack writes ${host}, the NATIVELINK_SCHEDULER_HOST of its user data`];
}

export const schedulerHostWriter: CheckRule = {
  id: "NL-DNS-1",
  severity: "error",
  title: "The scheduler host the workers dial has a writer",
  explanation:
    "Workers connect to the NATIVELINK_SCHEDULER_HOST of their user data; when nothing writes that DNS record, or its writer puts it in another " +
    "hosted zone (the public one instead of the VPC's private zone), no worker ever finds the scheduler.",
  fix:
    "add SchedulerDnsRecord from @nativelink-aws/dns-lambda with hostedZoneId = cluster.endpoints.privateZoneId, recordName = " +
    "cluster.endpoints.schedulerInternalDomainName and schedulerAutoScalingGroupName = cluster.scheduler.autoScalingGroup.name, or use " +
    "NativeLinkDeployment from @nativelink-aws/deployment, which wires it; a record written another way needs an aws_route53_record of that name, " +
    `a resource tagged ${DNS_RECORD_WRITER_TAG} = <host>, or suppressCheck(cluster, "NL-DNS-1", "<who writes it>")`,
  resourceTypes: ["aws_launch_template"],
  check(template, stack) {
    const host = roleEnvValue(userDataText(template.config.user_data), ROLE_ENV_KEYS.schedulerHost);
    return host === undefined ? [] : writerProblems(host, stack);
  },
};
