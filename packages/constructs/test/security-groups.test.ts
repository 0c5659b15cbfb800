import { describe, expect, it } from "vitest";
import { resources, synthCluster, type Synthesized } from "./synth-helpers.js";

/** Each rule as `group <- peer : port` (ingress) or `group -> peer : port` (egress), by group name. */
function ruleTable(synth: Synthesized): string[] {
  const groupNames = Object.fromEntries(
    Object.entries(resources(synth, "aws_security_group")).map(([id, group]) => [`\${aws_security_group.${id}.id}`, String(group.name)]),
  );
  const peer = (rule: Record<string, unknown>) =>
    rule.referenced_security_group_id
      ? groupNames[String(rule.referenced_security_group_id)]
      : rule.prefix_list_id
        ? "s3-prefix-list"
        : String(rule.cidr_ipv4 ?? rule.cidr_ipv6).replace(/\$\{aws_vpc\..*\}/, "vpc-cidr");
  const rows = (type: string, arrow: string) =>
    Object.values(resources(synth, type)).map((rule) => `${groupNames[String(rule.security_group_id)]} ${arrow} ${peer(rule)} : ${rule.from_port}`);
  return [...rows("aws_vpc_security_group_ingress_rule", "<-"), ...rows("aws_vpc_security_group_egress_rule", "->")].sort();
}

describe("security groups", () => {
  it("allow exactly the traffic the cluster needs, and no SSH by default", () => {
    expect(ruleTable(synthCluster())).toEqual([
      "nativelink-alb -> nativelink-cas : 50051",
      "nativelink-alb -> nativelink-cas : 50071",
      "nativelink-alb -> nativelink-scheduler : 50052",
      "nativelink-alb <- 0.0.0.0/0 : 443",
      "nativelink-alb <- 0.0.0.0/0 : 8443",
      "nativelink-alb <- ::/0 : 443",
      "nativelink-alb <- ::/0 : 8443",
      "nativelink-cas -> s3-prefix-list : 443",
      "nativelink-cas -> vpc-cidr : 443",
      "nativelink-cas <- nativelink-alb : 50051",
      "nativelink-cas <- nativelink-alb : 50071",
      "nativelink-cas <- nativelink-scheduler : 50051",
      "nativelink-cas <- nativelink-workers : 50051",
      "nativelink-endpoints <- vpc-cidr : 443",
      "nativelink-scheduler -> nativelink-cas : 50051",
      "nativelink-scheduler -> s3-prefix-list : 443",
      "nativelink-scheduler -> vpc-cidr : 443",
      "nativelink-scheduler <- nativelink-alb : 50052",
      "nativelink-scheduler <- nativelink-workers : 50061",
      "nativelink-workers -> nativelink-cas : 50051",
      "nativelink-workers -> nativelink-scheduler : 50061",
      "nativelink-workers -> s3-prefix-list : 443",
      "nativelink-workers -> vpc-cidr : 443",
    ]);
  });

  it("describes every rule", () => {
    const synth = synthCluster();
    for (const type of ["aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"]) {
      for (const rule of Object.values(resources(synth, type))) expect(String(rule.description).length).toBeGreaterThan(5);
    }
  });

  it("opens SSH only from allowSshFrom, on every instance group", () => {
    const ssh = ruleTable(synthCluster({ allowSshFrom: ["10.99.0.0/16"] })).filter((row) => row.endsWith(": 22"));
    expect(ssh).toEqual(["nativelink-cas <- 10.99.0.0/16 : 22", "nativelink-scheduler <- 10.99.0.0/16 : 22", "nativelink-workers <- 10.99.0.0/16 : 22"]);
  });

  it("refuses SSH from the whole internet", () => {
    expect(() => synthCluster({ allowSshFrom: ["0.0.0.0/0"] })).toThrow(
      "test/Cluster: invalid prop 'allowSshFrom': 0.0.0.0/0 opens SSH to the whole internet. Fix: " +
        "list only the networks you administer from (a VPN or bastion range), or use SSM Session Manager.",
    );
  });

  it("limits both listeners to clientCidrs", () => {
    const rows = ruleTable(synthCluster({ clientCidrs: ["203.0.113.0/24"] })).filter((row) => row.startsWith("nativelink-alb <-"));
    expect(rows).toEqual(["nativelink-alb <- 203.0.113.0/24 : 443", "nativelink-alb <- 203.0.113.0/24 : 8443"]);
  });
});
