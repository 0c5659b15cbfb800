import { blocks, type CheckRule, isTrue } from "../rule.js";

export const noPublicIp: CheckRule = {
  id: "NL-EC2-2",
  severity: "error",
  title: "No instance gets a public IP",
  explanation: "Instances behind the load balancer need no public address; one exposes every open port to the internet and costs money.",
  fix: "place instances in private subnets and set associate_public_ip_address = false (map_public_ip_on_launch = false on subnets)",
  resourceTypes: ["aws_launch_template", "aws_instance", "aws_subnet"],
  check(item) {
    if (item.type === "aws_subnet")
      return isTrue(item.config.map_public_ip_on_launch) ? ["the subnet gives instances public IPs (map_public_ip_on_launch)"] : [];
    if (item.type === "aws_instance") return isTrue(item.config.associate_public_ip_address) ? ["the instance asks for a public IP"] : [];
    const interfaces = blocks(item.config.network_interfaces);
    if (interfaces.length === 0)
      return ["the launch template leaves the public IP to the subnet's default; set network_interfaces { associate_public_ip_address = false }"];
    return interfaces.some((nic) => nic.associate_public_ip_address === undefined || isTrue(nic.associate_public_ip_address))
      ? ["a network interface may get a public IP (associate_public_ip_address is not false)"]
      : [];
  },
};
