import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones/index.js";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group/index.js";
import { Eip } from "@cdktf/provider-aws/lib/eip/index.js";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway/index.js";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway/index.js";
import { Route } from "@cdktf/provider-aws/lib/route/index.js";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table/index.js";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association/index.js";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import { Subnet } from "@cdktf/provider-aws/lib/subnet/index.js";
import { Vpc } from "@cdktf/provider-aws/lib/vpc/index.js";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint/index.js";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js";
import { Fn, Token } from "./cdktf.js";
import { Construct } from "constructs";
import { awsContext } from "./aws-context.js";
import { suppressCheck } from "./checks/suppressions.js";
import { NativeLinkPropError } from "./errors.js";
import { VpcFlowLogs } from "./flow-logs.js";
import { physicalName } from "./names.js";

/** What the cluster needs from a network, whether this package created it or you bring your own. */
export interface INativeLinkNetwork {
  readonly vpcId: string;
  readonly vpcCidrBlock: string;
  /** Subnets for the internet-facing load balancer, in at least two availability zones. */
  readonly publicSubnetIds: string[];
  /** Subnets for every instance (no public IPs), in at least two availability zones. */
  readonly privateSubnetIds: string[];
  /** The S3 gateway endpoint's prefix list, so instances reach S3 without the internet, if there is one. */
  readonly s3PrefixListId?: string;
  /** Whether private subnets reach the internet (NAT): instances then may send HTTPS anywhere. */
  readonly internetEgress: boolean;
}

/**
 * The interface endpoints instances use without internet access: SSM Session Manager (shell access),
 * CloudWatch Logs and metrics, and Auto Scaling (the instance's drain watcher completes lifecycle actions).
 */
export const DEFAULT_INTERFACE_ENDPOINTS = ["ssm", "ssmmessages", "ec2messages", "logs", "monitoring", "autoscaling"] as const;

export interface NativeLinkNetworkProps {
  /** Deployment name; prefixes every Name tag. */
  readonly name: string;
  /**
   * The VPC's IPv4 range; split into /20 subnets (a /16 gives 4,091 addresses per subnet).
   * @default "10.0.0.0/16"
   */
  readonly cidrBlock?: string;
  /**
   * How many availability zones get a public and a private subnet (the load balancer needs two).
   * @default 2
   */
  readonly availabilityZoneCount?: number;
  /**
   * Adds one NAT gateway (in the first zone) so instances reach the internet. Not needed to run
   * NativeLink: S3 and the AWS APIs the instances call are reached through VPC endpoints.
   * @default false
   */
  readonly natGateway?: boolean;
  /**
   * Interface endpoint services (short names such as `ssm`) placed in the private subnets.
   * @default DEFAULT_INTERFACE_ENDPOINTS
   */
  readonly interfaceEndpoints?: readonly string[];
  /**
   * In how many zones (private subnets, in order) the interface endpoints get a network interface.
   * Each costs about $7.30 a month per endpoint; one zone halves that for a two-zone VPC, and instances
   * in other zones reach it across zones. Raise it when shell access, logs and the autoscaler's API calls
   * must survive the loss of that zone.
   * @default 1
   */
  readonly interfaceEndpointZoneCount?: number;
  /**
   * Adds a small public subnet whose instances get public IPs, for EC2 Image Builder bakes
   * (@nativelink-aws/ami-builder) that download pinned releases. Only the builder uses it; its security
   * group has no ingress. The NL-EC2-2 check is suppressed for it, with that reason.
   * @default false
   */
  readonly imageBuilderSubnet?: boolean;
  /**
   * VPC flow logs to CloudWatch: `REJECT` (refused connections, cheap), `ALL`, or `false` for none.
   * @default "REJECT"
   */
  readonly flowLogs?: "REJECT" | "ALL" | false;
  /**
   * Days flow logs are kept.
   * @default 30
   */
  readonly flowLogRetentionDays?: number;
}

/** A VPC over several zones: public subnets for the load balancer, private subnets for every instance. */
export class NativeLinkNetwork extends Construct implements INativeLinkNetwork {
  readonly vpcId: string;
  readonly vpcCidrBlock: string;
  readonly publicSubnetIds: string[] = [];
  readonly privateSubnetIds: string[] = [];
  readonly privateRouteTableIds: string[] = [];
  readonly s3PrefixListId: string;
  readonly internetEgress: boolean;
  /** The public subnet for image bakes, when `imageBuilderSubnet` is set. */
  readonly imageBuilderSubnetId?: string;
  /** Security group of the interface endpoints (HTTPS from the VPC). */
  readonly endpointSecurityGroupId: string;

  constructor(scope: Construct, id: string, props: NativeLinkNetworkProps) {
    super(scope, id);
    const cidrBlock = props.cidrBlock ?? "10.0.0.0/16";
    const zoneCount = props.availabilityZoneCount ?? 2;
    this.internetEgress = props.natGateway ?? false;
    this.validate(cidrBlock, zoneCount);
    const { region } = awsContext(this);
    const named = (suffix: string) => ({ Name: physicalName(props.name, suffix) });

    const vpc = new Vpc(this, "Vpc", { cidrBlock, enableDnsHostnames: true, enableDnsSupport: true, tags: named("vpc") });
    this.vpcId = vpc.id;
    this.vpcCidrBlock = vpc.cidrBlock;
    // The default security group allows all traffic between its members: leave it with no rules.
    new DefaultSecurityGroup(this, "DefaultSecurityGroup", { vpcId: vpc.id, tags: named("default-deny") });

    const flowLogs = props.flowLogs ?? "REJECT";
    if (flowLogs)
      new VpcFlowLogs(this, "FlowLogs", { name: props.name, vpcId: vpc.id, trafficType: flowLogs, retentionDays: props.flowLogRetentionDays ?? 30 });

    const zones = new DataAwsAvailabilityZones(this, "Zones", {
      state: "available",
      filter: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
    });
    const igw = new InternetGateway(this, "InternetGateway", { vpcId: vpc.id, tags: named("igw") });
    const publicRoutes = new RouteTable(this, "PublicRoutes", { vpcId: vpc.id, tags: named("public") });
    new Route(this, "PublicDefaultRoute", { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });

    for (let i = 0; i < zoneCount; i++) {
      const availabilityZone = Fn.element(zones.names, i);
      const publicSubnet = new Subnet(this, `Public${i}`, {
        vpcId: vpc.id,
        availabilityZone,
        cidrBlock: Fn.cidrsubnet(cidrBlock, 4, i),
        mapPublicIpOnLaunch: false,
        tags: named(`public-${i}`),
      });
      new RouteTableAssociation(this, `Public${i}Routes`, { subnetId: publicSubnet.id, routeTableId: publicRoutes.id });
      const privateSubnet = new Subnet(this, `Private${i}`, {
        vpcId: vpc.id,
        availabilityZone,
        cidrBlock: Fn.cidrsubnet(cidrBlock, 4, 8 + i),
        mapPublicIpOnLaunch: false,
        tags: named(`private-${i}`),
      });
      const privateRoutes = new RouteTable(this, `Private${i}Routes`, { vpcId: vpc.id, tags: named(`private-${i}`) });
      new RouteTableAssociation(this, `Private${i}RoutesAssociation`, { subnetId: privateSubnet.id, routeTableId: privateRoutes.id });
      this.publicSubnetIds.push(publicSubnet.id);
      this.privateSubnetIds.push(privateSubnet.id);
      this.privateRouteTableIds.push(privateRoutes.id);
    }

    if (props.imageBuilderSubnet) {
      const builder = new Subnet(this, "ImageBuilder", {
        vpcId: vpc.id,
        availabilityZone: Fn.element(zones.names, 0),
        cidrBlock: Fn.cidrsubnet(cidrBlock, 4, 15),
        mapPublicIpOnLaunch: true,
        tags: named("image-builder"),
      });
      new RouteTableAssociation(this, "ImageBuilderRoutes", { subnetId: builder.id, routeTableId: publicRoutes.id });
      suppressCheck(
        builder,
        "NL-EC2-2",
        "EC2 Image Builder instances download pinned NativeLink and collector releases at bake time; " +
          "only the builder, whose security group has no ingress, launches here",
      );
      this.imageBuilderSubnetId = builder.id;
    }

    if (this.internetEgress) {
      const ip = new Eip(this, "NatAddress", { domain: "vpc", tags: named("nat") });
      const nat = new NatGateway(this, "Nat", { allocationId: ip.id, subnetId: this.publicSubnetIds[0]!, tags: named("nat"), dependsOn: [igw] });
      this.privateRouteTableIds.forEach(
        (routeTableId, i) => new Route(this, `Private${i}NatRoute`, { routeTableId, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id }),
      );
    }

    const s3 = new VpcEndpoint(this, "S3Endpoint", {
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: this.privateRouteTableIds,
      tags: named("s3"),
    });
    this.s3PrefixListId = s3.prefixListId;

    const endpointGroup = new SecurityGroup(this, "EndpointSecurityGroup", {
      name: physicalName(props.name, "endpoints"),
      description: "AWS API interface endpoints: HTTPS from the VPC",
      vpcId: vpc.id,
      tags: named("endpoints"),
    });
    new VpcSecurityGroupIngressRule(this, "EndpointHttpsFromVpc", {
      securityGroupId: endpointGroup.id,
      cidrIpv4: vpc.cidrBlock,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      description: "HTTPS from instances in the VPC",
    });
    this.endpointSecurityGroupId = endpointGroup.id;
    const endpointZones = props.interfaceEndpointZoneCount ?? 1;
    if (!Number.isInteger(endpointZones) || endpointZones < 1 || endpointZones > zoneCount) {
      throw new NativeLinkPropError(
        this.node.path,
        "interfaceEndpointZoneCount",
        `${endpointZones} is not a whole number from 1 to availabilityZoneCount (${zoneCount})`,
        "use 1 (cheapest) up to the number of zones (most available)",
      );
    }
    for (const service of props.interfaceEndpoints ?? DEFAULT_INTERFACE_ENDPOINTS) {
      new VpcEndpoint(this, `Endpoint-${service}`, {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${region}.${service}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: this.privateSubnetIds.slice(0, endpointZones),
        securityGroupIds: [endpointGroup.id],
        tags: named(service),
      });
    }
  }

  private validate(cidrBlock: string, zoneCount: number): void {
    if (!Token.isUnresolved(cidrBlock)) {
      const prefix = /^\d{1,3}(\.\d{1,3}){3}\/(\d{1,2})$/.exec(cidrBlock)?.[2];
      if (prefix === undefined || Number(prefix) < 16 || Number(prefix) > 24) {
        throw new NativeLinkPropError(
          this.node.path,
          "cidrBlock",
          `"${cidrBlock}" is not an IPv4 CIDR from /16 to /24`,
          'use a private range such as "10.0.0.0/16"',
        );
      }
    }
    if (!Number.isInteger(zoneCount) || zoneCount < 2 || zoneCount > 6) {
      throw new NativeLinkPropError(
        this.node.path,
        "availabilityZoneCount",
        `${zoneCount} is not a whole number from 2 to 6`,
        "use 2 (the load balancer needs two zones) or up to 6",
      );
    }
  }
}
