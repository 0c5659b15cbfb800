import { blocks, type CheckRule, type StackView } from "../rule.js";

const WORLD = ["0.0.0.0/0", "::/0"];

/** Security groups attached to a load balancer, as `${aws_security_group.X.id}` references. */
function loadBalancerGroups(stack: StackView): Set<string> {
  return new Set(stack.ofType("aws_lb").flatMap((lb) => (lb.config.security_groups as string[] | undefined) ?? []));
}

export const noOpenIngress: CheckRule = {
  id: "NL-SG-1",
  severity: "error",
  title: "No ingress from 0.0.0.0/0 or ::/0, except HTTPS 443 on the load balancer",
  explanation: "Instances are reached through the load balancer or from inside the VPC; world-open ports (the original opened SSH 22) invite attacks.",
  fix: "narrow the source to a security group or a CIDR you control (allowSshFrom / clientCidrs)",
  resourceTypes: ["aws_vpc_security_group_ingress_rule", "aws_security_group_rule", "aws_security_group"],
  check(item, stack) {
    const rules: Record<string, unknown>[] =
      item.type === "aws_security_group" ? blocks(item.config.ingress).map((rule) => ({ ...rule, security_group_id: `\${aws_security_group.${item.id}.id}` }))
        : item.type === "aws_security_group_rule" ? (item.config.type === "ingress" ? [item.config] : [])
          : [item.config];
    const onLoadBalancer = loadBalancerGroups(stack);
    return rules.flatMap((rule) => {
      const sources = [rule.cidr_ipv4, rule.cidr_ipv6, ...((rule.cidr_blocks as string[]) ?? []), ...((rule.ipv6_cidr_blocks as string[]) ?? [])].filter(Boolean).map(String);
      const world = sources.filter((cidr) => WORLD.includes(cidr));
      if (world.length === 0) return [];
      const httpsOnly = rule.from_port === 443 && rule.to_port === 443;
      if (httpsOnly && onLoadBalancer.has(String(rule.security_group_id))) return [];
      return [`ingress from ${world.join(" and ")} on ports ${rule.from_port}-${rule.to_port}${httpsOnly ? " of a group that is not a load balancer's" : ""}`];
    });
  },
};
