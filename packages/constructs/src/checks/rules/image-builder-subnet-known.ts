import type { CheckRule } from "../rule.js";
import { subnetEgress } from "./subnet-egress.js";

export const imageBuilderSubnetKnown: CheckRule = {
  id: "NL-IB-2",
  severity: "warning",
  title: "Image Builder's subnet is one whose egress the stack shows",
  explanation: "The bake needs the internet; for a subnet created elsewhere this stack cannot tell whether it has a NAT gateway or public IPs.",
  fix: "make sure the subnet has egress (a NAT gateway, or an internet gateway and map_public_ip_on_launch), then suppress NL-IB-2 saying so",
  resourceTypes: ["aws_imagebuilder_infrastructure_configuration"],
  check(configuration, stack) {
    const egress = subnetEgress(configuration.config.subnet_id, stack);
    return egress.kind === "unknown" ? [egress.problem] : [];
  },
};
