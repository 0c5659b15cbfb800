import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js";
import { Construct } from "constructs";
import type { INativeLinkNetwork } from "./network.js";
import { physicalName } from "./names.js";
import { NATIVELINK_PORTS } from "./ports.js";

export interface NativeLinkSecurityGroupsProps {
  readonly name: string;
  readonly network: INativeLinkNetwork;
  /** IPv4 and IPv6 CIDRs allowed to reach the load balancer's listeners. */
  readonly clientCidrs: string[];
  /**
   * The load balancer's listener ports, which `clientCidrs` may reach.
   * @default [443]
   */
  readonly listenerPorts?: number[];
  /**
   * Whether the load balancer reaches the CAS writers' port (50071): only when a listener routes to it.
   * @default true
   */
  readonly casWriters?: boolean;
  /** CIDRs allowed to reach every instance on SSH port 22; empty: no SSH at all. */
  readonly allowSshFrom: string[];
}

type Peer = { securityGroup: SecurityGroup } | { cidr: string } | { prefixListId: string };

/**
 * Security groups exactly as narrow as the traffic: clients → ALB listeners (443, and 8443 for the cache's writers); ALB → CAS
 * 50051 (and 50071, writers) and scheduler
 * 50052; workers → scheduler 50061; workers and scheduler → CAS 50051; instances → AWS endpoints and S3 on 443.
 */
export class NativeLinkSecurityGroups extends Construct {
  readonly loadBalancer: SecurityGroup;
  readonly cas: SecurityGroup;
  readonly scheduler: SecurityGroup;
  readonly workers: SecurityGroup;

  constructor(scope: Construct, id: string, props: NativeLinkSecurityGroupsProps) {
    super(scope, id);
    const group = (role: string, description: string) =>
      new SecurityGroup(this, role, {
        name: physicalName(props.name, role),
        description,
        vpcId: props.network.vpcId,
        tags: { Name: physicalName(props.name, role) },
        // Rules live in their own resources; an empty list here would fight them.
        lifecycle: { createBeforeDestroy: true },
      });
    this.loadBalancer = group("alb", "NativeLink load balancer: HTTPS from clients");
    this.cas = group("cas", "NativeLink CAS instances");
    this.scheduler = group("scheduler", "NativeLink scheduler instance");
    this.workers = group("workers", "NativeLink worker instances");

    for (const port of props.listenerPorts ?? [443]) {
      // Port 443 keeps the rule ids it always had.
      const [prefix, description] = port === 443 ? ["clients", "HTTPS from Bazel clients"] : [`clients-${port}`, `HTTPS ${port} from Bazel clients`];
      props.clientCidrs.forEach((cidr, i) => this.ingress(this.loadBalancer, `${prefix}-${i}`, { cidr }, port, description));
    }
    this.allow(this.loadBalancer, this.cas, NATIVELINK_PORTS.cas, "alb-to-cas", "gRPC: load balancer to CAS");
    if (props.casWriters ?? true) {
      this.allow(this.loadBalancer, this.cas, NATIVELINK_PORTS.casWriters, "alb-to-cas-writers", "gRPC: load balancer to the CAS writers' listener");
    }
    this.allow(this.loadBalancer, this.scheduler, NATIVELINK_PORTS.schedulerPublic, "alb-to-scheduler", "gRPC: load balancer to scheduler");
    this.allow(this.workers, this.scheduler, NATIVELINK_PORTS.schedulerWorkerApi, "workers-to-scheduler", "Worker API: workers to scheduler");
    this.allow(this.workers, this.cas, NATIVELINK_PORTS.cas, "workers-to-cas", "gRPC: workers to CAS");
    this.allow(this.scheduler, this.cas, NATIVELINK_PORTS.cas, "scheduler-to-cas", "gRPC: scheduler to CAS");

    for (const [role, instances] of [
      ["cas", this.cas],
      ["scheduler", this.scheduler],
      ["workers", this.workers],
    ] as const) {
      if (props.network.s3PrefixListId) {
        this.egress(instances, `${role}-s3`, { prefixListId: props.network.s3PrefixListId }, 443, "HTTPS to S3 through the gateway endpoint");
      }
      const awsApis = props.network.internetEgress ? { cidr: "0.0.0.0/0" } : { cidr: props.network.vpcCidrBlock };
      this.egress(
        instances,
        `${role}-https`,
        awsApis,
        443,
        props.network.internetEgress ? "HTTPS to AWS APIs and the internet" : "HTTPS to AWS API endpoints in the VPC",
      );
      props.allowSshFrom.forEach((cidr, i) => this.ingress(instances, `${role}-ssh-${i}`, { cidr }, 22, "SSH from an allowed network (allowSshFrom)"));
    }
  }

  /** Egress on `from` and ingress on `to` for one port. */
  private allow(from: SecurityGroup, to: SecurityGroup, port: number, id: string, description: string): void {
    this.egress(from, id, { securityGroup: to }, port, description);
    this.ingress(to, id, { securityGroup: from }, port, description);
  }

  private ingress(group: SecurityGroup, id: string, peer: Peer, port: number, description: string): void {
    new VpcSecurityGroupIngressRule(this, `in-${id}`, tcpRule(group, peer, port, description));
  }

  private egress(group: SecurityGroup, id: string, peer: Peer, port: number, description: string): void {
    new VpcSecurityGroupEgressRule(this, `out-${id}`, tcpRule(group, peer, port, description));
  }
}

/** One TCP port of `group` to or from `peer`: ingress and egress rules take the same fields. */
function tcpRule(group: SecurityGroup, peer: Peer, port: number, description: string) {
  return { securityGroupId: group.id, ipProtocol: "tcp", fromPort: port, toPort: port, description, ...peerFields(peer) };
}

function peerFields(peer: Peer) {
  if ("securityGroup" in peer) return { referencedSecurityGroupId: peer.securityGroup.id };
  if ("prefixListId" in peer) return { prefixListId: peer.prefixListId };
  return peer.cidr.includes(":") ? { cidrIpv6: peer.cidr } : { cidrIpv4: peer.cidr };
}
