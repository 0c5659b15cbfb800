import { blocks, type CheckRule, type StackView } from "../rule.js";

const WORLD = ["0.0.0.0/0", "::/0"];

/**
 * The ports a load balancer's group may open to the world, by group (`${aws_security_group.X.id}`): 443, and the port
 * of every TLS listener (HTTPS, TLS) of a load balancer the group is attached to.
 */
function loadBalancerPorts(stack: StackView): Map<string, Set<number>> {
  const ports = new Map<string, Set<number>>();
  for (const lb of stack.ofType("aws_lb")) {
    const tls = stack
      .ofType("aws_lb_listener")
      .filter((listener) => listener.config.load_balancer_arn === `\${aws_lb.${lb.id}.arn}` && ["HTTPS", "TLS"].includes(String(listener.config.protocol)))
      .map((listener) => Number(listener.config.port));
    for (const group of (lb.config.security_groups as string[] | undefined) ?? []) ports.set(group, new Set([...(ports.get(group) ?? []), 443, ...tls]));
  }
  return ports;
}

export const noOpenIngress: CheckRule = {
  id: "NL-SG-1",
  severity: "error",
  title: "No ingress from 0.0.0.0/0 or ::/0, except to the load balancer's TLS listeners (443)",
  explanation: "Instances are reached through the load balancer or from inside the VPC; world-open ports (the original opened SSH 22) invite attacks.",
  fix: "narrow the source to a security group or a CIDR you control (allowSshFrom / clientCidrs)",
  resourceTypes: ["aws_vpc_security_group_ingress_rule", "aws_security_group_rule", "aws_security_group"],
  check(item, stack) {
    const rules: Record<string, unknown>[] =
      item.type === "aws_security_group"
        ? blocks(item.config.ingress).map((rule) => ({ ...rule, security_group_id: `\${aws_security_group.${item.id}.id}` }))
        : item.type === "aws_security_group_rule"
          ? item.config.type === "ingress"
            ? [item.config]
            : []
          : [item.config];
    const onLoadBalancer = loadBalancerPorts(stack);
    return rules.flatMap((rule) => {
      const sources = [rule.cidr_ipv4, rule.cidr_ipv6, ...((rule.cidr_blocks as string[]) ?? []), ...((rule.ipv6_cidr_blocks as string[]) ?? [])]
        .filter(Boolean)
        .map(String);
      const world = sources.filter((cidr) => WORLD.includes(cidr));
      if (world.length === 0) return [];
      const onePort = rule.from_port === rule.to_port ? Number(rule.from_port) : undefined;
      const listenerPorts = onLoadBalancer.get(String(rule.security_group_id));
      if (onePort !== undefined && listenerPorts?.has(onePort)) return [];
      const where =
        onePort === 443
          ? " of a group that is not a load balancer's"
          : onePort !== undefined && listenerPorts
            ? " where the load balancer has no TLS listener"
            : "";
      return [`ingress from ${world.join(" and ")} on ports ${rule.from_port}-${rule.to_port}${where}`];
    });
  },
};
