import type { CheckRule } from "../rule.js";
import { subnetEgress } from "./subnet-egress.js";

export const imageBuilderEgress: CheckRule = {
  id: "NL-IB-1",
  severity: "error",
  title: "Image Builder instances can reach the internet",
  explanation:
    "A bake downloads the pinned NativeLink and collector releases, the CloudWatch agent and " +
    "Ubuntu packages; in a subnet without egress it fails after the apply has waited for it.",
  fix:
    "bake in a subnet with a NAT gateway, or in the network's image-builder subnet (NativeLinkNetwork imageBuilderSubnet: true, subnetId = " +
    "network.imageBuilderSubnetId); NativeLinkDeployment from @nativelink-aws/deployment does this when it bakes",
  resourceTypes: ["aws_imagebuilder_infrastructure_configuration"],
  check(configuration, stack) {
    const egress = subnetEgress(configuration.config.subnet_id, stack);
    return egress.kind === "none" ? [egress.problem] : [];
  },
};
