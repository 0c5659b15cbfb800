import { describe, expect, it } from "vitest";
import { only, resources, synthCluster } from "./synth-helpers.js";

describe("network", () => {
  const synth = synthCluster();
  const subnets = Object.values(resources(synth, "aws_subnet"));

  it("creates a VPC with DNS support (private zone and endpoint DNS need it)", () => {
    expect(only(synth, "aws_vpc")).toMatchObject({ cidr_block: "10.0.0.0/16", enable_dns_hostnames: true, enable_dns_support: true });
  });

  it("spans two availability zones with a public and a private subnet each, none assigning public IPs", () => {
    const names = subnets.map((subnet) => (subnet.tags as Record<string, string>).Name).sort();
    expect(names).toEqual(["nativelink-private-0", "nativelink-private-1", "nativelink-public-0", "nativelink-public-1"]);
    expect(new Set(subnets.map((subnet) => subnet.availability_zone)).size).toBe(2);
    for (const subnet of subnets) expect(subnet.map_public_ip_on_launch).toBe(false);
  });

  it("routes only the public subnets to the internet gateway, and adds no NAT gateway by default", () => {
    const routes = Object.values(resources(synth, "aws_route"));
    expect(routes).toHaveLength(1);
    expect(routes[0]).toMatchObject({ destination_cidr_block: "0.0.0.0/0", gateway_id: expect.stringContaining("aws_internet_gateway") });
    expect(synth.resource.aws_nat_gateway).toBeUndefined();
  });

  it("puts an S3 gateway endpoint on every private route table", () => {
    const endpoints = Object.values(resources(synth, "aws_vpc_endpoint"));
    const s3 = endpoints.find((endpoint) => endpoint.vpc_endpoint_type === "Gateway")!;
    expect(s3.service_name).toMatch(/^com\.amazonaws\.\$\{data\.aws_region\.[^}]+\.region\}\.s3$/);
    const privateTables = Object.entries(resources(synth, "aws_route_table"))
      .filter(([, table]) => (table.tags as Record<string, string>).Name.includes("private"))
      .map(([id]) => `\${aws_route_table.${id}.id}`);
    expect(s3.route_table_ids).toEqual(privateTables);
    expect(privateTables).toHaveLength(2);
  });

  it("adds the interface endpoints instances need without internet (SSM, logs, metrics, Auto Scaling), in one zone by default", () => {
    const interfaces = Object.values(resources(synth, "aws_vpc_endpoint")).filter((endpoint) => endpoint.vpc_endpoint_type === "Interface");
    const services = interfaces.map((endpoint) => String(endpoint.service_name).split(".").pop()).sort();
    expect(services).toEqual(["autoscaling", "ec2messages", "logs", "monitoring", "ssm", "ssmmessages"]);
    for (const endpoint of interfaces) {
      expect(endpoint.private_dns_enabled).toBe(true);
      expect(endpoint.subnet_ids).toEqual([expect.stringContaining("aws_subnet.Cluster_Network_Private0")]);
    }
  });

  it("places interface endpoints in more zones when asked, and refuses more zones than the VPC has", () => {
    const both = synthCluster({ vpc: { interfaceEndpointZoneCount: 2 } });
    for (const endpoint of Object.values(resources(both, "aws_vpc_endpoint")).filter((e) => e.vpc_endpoint_type === "Interface")) {
      expect(endpoint.subnet_ids).toHaveLength(2);
    }
    expect(() => synthCluster({ vpc: { interfaceEndpointZoneCount: 3 } })).toThrow(
      "test/Cluster/Network: invalid prop 'interfaceEndpointZoneCount': 3 is not a whole number from 1 " +
        "to availabilityZoneCount (2). Fix: use 1 (cheapest) up to the number of zones (most available).",
    );
  });

  it("empties the VPC's default security group", () => {
    const group = only(synth, "aws_default_security_group");
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
  });

  it("adds one NAT gateway and private default routes when asked", () => {
    const withNat = synthCluster({ vpc: { natGateway: true } });
    expect(Object.keys(resources(withNat, "aws_nat_gateway"))).toHaveLength(1);
    const natRoutes = Object.values(resources(withNat, "aws_route")).filter((route) => route.nat_gateway_id);
    expect(natRoutes).toHaveLength(2);
    // With internet egress, instances may reach HTTPS anywhere, not only the VPC's endpoints.
    const egress = Object.values(resources(withNat, "aws_vpc_security_group_egress_rule")).filter((rule) => rule.from_port === 443 && rule.cidr_ipv4);
    expect(egress.map((rule) => rule.cidr_ipv4)).toEqual(["0.0.0.0/0", "0.0.0.0/0", "0.0.0.0/0"]);
  });

  it("honours availabilityZoneCount and cidrBlock", () => {
    const wide = synthCluster({ vpc: { availabilityZoneCount: 3, cidrBlock: "10.20.0.0/16" } });
    expect(Object.keys(resources(wide, "aws_subnet"))).toHaveLength(6);
    expect(only(wide, "aws_vpc").cidr_block).toBe("10.20.0.0/16");
  });

  it("uses your own VPC and subnets instead of creating any", () => {
    const own = synthCluster({
      existingNetwork: {
        vpcId: "vpc-1",
        vpcCidrBlock: "172.16.0.0/16",
        publicSubnetIds: ["subnet-a", "subnet-b"],
        privateSubnetIds: ["subnet-c", "subnet-d"],
        internetEgress: true,
      },
    });
    expect(own.resource.aws_vpc).toBeUndefined();
    expect(own.resource.aws_subnet).toBeUndefined();
    expect(only(own, "aws_lb").subnets).toEqual(["subnet-a", "subnet-b"]);
    for (const group of Object.values(resources(own, "aws_autoscaling_group"))) expect(group.vpc_zone_identifier).toEqual(["subnet-c", "subnet-d"]);
    expect(only(own, "aws_route53_zone").vpc).toEqual([{ vpc_id: "vpc-1" }]);
  });
});

describe("image builder subnet", () => {
  it("is a public subnet with public IPs, only when asked, with the public-IP check suppressed for a written reason", async () => {
    const { Aspects, Testing } = await import("cdktf");
    const { NativeLinkChecks } = await import("../src/checks/native-link-checks.js");
    const { clusterStack } = await import("./synth-helpers.js");
    expect(Object.values(resources(synthCluster(), "aws_subnet")).some((subnet) => subnet.map_public_ip_on_launch)).toBe(false);
    const stack = clusterStack({ vpc: { imageBuilderSubnet: true } });
    const checks = new NativeLinkChecks();
    Aspects.of(stack).add(checks);
    const synth = JSON.parse(Testing.synth(stack)) as Parameters<typeof resources>[0];
    const builder = Object.values(resources(synth, "aws_subnet")).find(
      (subnet) => (subnet.tags as Record<string, string>).Name === "nativelink-image-builder",
    )!;
    expect(builder).toMatchObject({ map_public_ip_on_launch: true, cidr_block: '${cidrsubnet("10.0.0.0/16", 4, 15)}' });
    expect(checks.findings.filter((finding) => finding.ruleId === "NL-EC2-2")).toEqual([
      expect.objectContaining({ suppressed: expect.objectContaining({ reason: expect.stringContaining("Image Builder") }) }),
    ]);
  });
});

describe("VPC flow logs", () => {
  it("record refused connections by default, to a log group with a retention, through a role scoped to it", () => {
    const synth = synthCluster();
    expect(only(synth, "aws_flow_log")).toMatchObject({
      traffic_type: "REJECT",
      log_destination_type: "cloud-watch-logs",
      log_destination: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.Cluster_Network_FlowLogs_[A-F0-9]+\.arn\}$/),
    });
    const group = Object.values(resources(synth, "aws_cloudwatch_log_group")).find((g) => g.name === "/nativelink/vpc-flow-logs");
    expect(group).toMatchObject({ retention_in_days: 30 });
  });

  it("can record all traffic, or be off", () => {
    expect(only(synthCluster({ vpc: { flowLogs: "ALL" } }), "aws_flow_log").traffic_type).toBe("ALL");
    expect(synthCluster({ vpc: { flowLogs: false } }).resource.aws_flow_log).toBeUndefined();
  });
});
