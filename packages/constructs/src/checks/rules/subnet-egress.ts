import { blocks, isTrue, type StackItem, type StackView } from "../rule.js";

/** Whether instances in a subnet reach the internet, as far as the stack shows. */
export type SubnetEgress =
  | { readonly kind: "egress" }
  | { readonly kind: "none"; readonly problem: string }
  | { readonly kind: "unknown"; readonly problem: string };

const ANYWHERE = "0.0.0.0/0";
/** Route targets that carry traffic on to the internet without a public IP on the instance. */
const EGRESS_TARGETS = ["nat_gateway_id", "transit_gateway_id", "network_interface_id", "vpc_endpoint_id"];

/** The route table a subnet uses: its association's, else its VPC's main table (the VPC item stands for it). */
function routeTableOf(subnet: StackItem, stack: StackView): StackItem | undefined {
  const association = stack.ofType("aws_route_table_association").find((a) => stack.referenced(a.config.subnet_id) === subnet);
  if (association) return stack.referenced(association.config.route_table_id);
  const vpc = stack.referenced(subnet.config.vpc_id);
  const main = stack.ofType("aws_main_route_table_association").find((a) => stack.referenced(a.config.vpc_id) === vpc);
  return main ? stack.referenced(main.config.route_table_id) : vpc;
}

/** The targets of the table's default routes: inline `route` blocks and `aws_route` / `aws_default_route_table` resources. */
function defaultRouteTargets(table: StackItem, stack: StackView): Record<string, unknown>[] {
  const inline = table.type === "aws_route_table" ? blocks(table.config.route).filter((route) => route.cidr_block === ANYWHERE) : [];
  const separate = stack
    .ofType("aws_route")
    .filter((route) => route.config.destination_cidr_block === ANYWHERE && stack.referenced(route.config.route_table_id) === table)
    .map((route) => route.config);
  const defaults =
    table.type === "aws_vpc"
      ? stack
          .ofType("aws_default_route_table")
          .filter((d) => stack.referenced(d.config.default_route_table_id) === table)
          .flatMap((d) => blocks(d.config.route).filter((route) => route.cidr_block === ANYWHERE))
      : [];
  return [...inline, ...separate, ...defaults];
}

const isInternetGateway = (target: unknown, stack: StackView) =>
  stack.referenced(target)?.type === "aws_internet_gateway" || (typeof target === "string" && target.startsWith("igw-"));

/**
 * Egress of the subnet `subnetId` names: a default route to a NAT gateway (or a transit gateway, a network interface,
 * a firewall endpoint), or to an internet gateway with public IPs on launch. A subnet the stack does not create is unknown.
 */
export function subnetEgress(subnetId: unknown, stack: StackView): SubnetEgress {
  if (subnetId === undefined || subnetId === null || subnetId === "") {
    return { kind: "unknown", problem: "no subnet_id: Image Builder uses a default subnet of the default VPC, whose egress this stack cannot show" };
  }
  const subnet = stack.referenced(subnetId);
  if (subnet?.type !== "aws_subnet")
    return { kind: "unknown", problem: `subnet ${String(subnetId)} is not created in this stack, so its egress cannot be checked` };
  const table = routeTableOf(subnet, stack);
  const targets = table ? defaultRouteTargets(table, stack) : [];
  if (targets.some((route) => EGRESS_TARGETS.some((key) => route[key]))) return { kind: "egress" };
  const viaInternetGateway = targets.some((route) => isInternetGateway(route.gateway_id, stack));
  if (viaInternetGateway) {
    return isTrue(subnet.config.map_public_ip_on_launch)
      ? { kind: "egress" }
      : { kind: "none", problem: "its subnet routes to an internet gateway but gives instances no public IP (map_public_ip_on_launch)" };
  }
  return { kind: "none", problem: "its subnet has no route to the internet (no 0.0.0.0/0 route to a NAT gateway or an internet gateway)" };
}
