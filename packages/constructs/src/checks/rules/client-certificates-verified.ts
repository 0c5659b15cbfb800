import { blocks, isTrue, type CheckRule, type StackItem, type StackView } from "../rule.js";
import { isPrivateCidr } from "./private-networks.js";

/** Every source of an ingress rule on `groupReference` (`${aws_security_group.X.id}`) that covers `port`. */
function sourcesReaching(stack: StackView, groupReference: string, port: number): string[] {
  const group = stack.referenced(groupReference);
  const rules: Record<string, unknown>[] = [
    ...(group ? blocks(group.config.ingress) : []),
    ...stack
      .ofType("aws_security_group_rule")
      .filter((rule) => rule.config.type === "ingress" && rule.config.security_group_id === groupReference)
      .map((rule) => rule.config),
    ...stack
      .ofType("aws_vpc_security_group_ingress_rule")
      .filter((rule) => rule.config.security_group_id === groupReference)
      .map((rule) => rule.config),
  ];
  return rules
    .filter((rule) => ["-1", "all"].includes(String(rule.ip_protocol ?? rule.protocol)) || (Number(rule.from_port) <= port && port <= Number(rule.to_port)))
    .flatMap((rule) => [
      rule.cidr_ipv4,
      rule.cidr_ipv6,
      ...((rule.cidr_blocks as string[] | undefined) ?? []),
      ...((rule.ipv6_cidr_blocks as string[] | undefined) ?? []),
      ...(rule.prefix_list_id ? [`prefix list ${String(rule.prefix_list_id)}`] : []),
    ])
    .filter((source): source is string => typeof source === "string" && source !== "");
}

/** The sources outside private networks that reach `listener`'s port, or undefined when its load balancer cannot be read. */
function publicSources(listener: StackItem, stack: StackView): string[] | undefined {
  const loadBalancer = stack.referenced(listener.config.load_balancer_arn);
  if (!loadBalancer) return undefined;
  if (loadBalancer.config.internal === true || loadBalancer.config.internal === "true") return [];
  const groups = (loadBalancer.config.security_groups as string[] | undefined) ?? [];
  if (groups.length === 0) return undefined;
  const port = Number(listener.config.port);
  return [...new Set(groups.flatMap((group) => sourcesReaching(stack, group, port)).filter((source) => !isPrivateCidr(source)))];
}

/** A listener that only redirects (HTTP to HTTPS) serves nothing. */
function redirectsOnly(listener: StackItem, stack: StackView): boolean {
  const actions = JSON.stringify(listener.config.default_action ?? "");
  const rules = stack.ofType("aws_lb_listener_rule").filter((rule) => rule.config.listener_arn === `\${${listener.type}.${listener.id}.arn}`);
  return actions.includes('"redirect"') && !actions.includes('"forward"') && rules.length === 0;
}

export const clientCertificatesVerified: CheckRule = {
  id: "NL-ELB-3",
  severity: "error",
  title: "Internet-facing listeners accept only clients with a verified certificate",
  explanation:
    "A remote execution endpoint runs whatever its clients send, and one bad action result poisons every build's cache: a listener that " +
    "public addresses reach without mutual TLS lets anyone who finds the name run code on the workers.",
  fix:
    'verify client certificates (mutual_authentication { mode = "verify" } with a trust store, without ignore_client_certificate_expiry: ' +
    'NativeLinkCluster\'s clientAuthentication { mode: "verify" }, from `nativelink-aws certs publish`), ' +
    "or let only private networks reach the listener (clientCidrs in RFC 1918 / ULA " +
    'ranges), or suppress the rule with the reason (clientAuthentication { mode: "off", reason } does)',
  resourceTypes: ["aws_lb_listener", "aws_alb_listener"],
  check(listener, stack) {
    const authentication = blocks(listener.config.mutual_authentication)[0];
    const mode = authentication?.mode;
    // Verify mode with ignore_client_certificate_expiry accepts certificates that expired, which no longer vouch for anyone.
    const ignoresExpiry = isTrue(authentication?.ignore_client_certificate_expiry);
    if (mode === "verify" && !ignoresExpiry) return [];
    if (redirectsOnly(listener, stack)) return [];
    const sources = publicSources(listener, stack);
    const how = mode === "verify" ? "verify, with ignore_client_certificate_expiry = true" : typeof mode === "string" ? mode : "off";
    const unverified = `port ${String(listener.config.port)} serves clients without a verified certificate (mutual authentication ${how})`;
    if (sources === undefined) return [`${unverified}, and its load balancer's security groups are not in the stack, so any address may reach it`];
    return sources.length === 0 ? [] : [`${unverified} to ${sources.join(", ")}`];
  },
};
