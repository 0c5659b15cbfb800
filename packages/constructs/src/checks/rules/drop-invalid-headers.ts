import { type CheckRule, isTrue } from "../rule.js";

export const dropInvalidHeaders: CheckRule = {
  id: "NL-ELB-2",
  severity: "error",
  title: "Application load balancers drop invalid header fields",
  explanation: "Headers that are not valid HTTP can smuggle requests past the load balancer to the targets.",
  fix: "set drop_invalid_header_fields = true (dropInvalidHeaderFields)",
  resourceTypes: ["aws_lb", "aws_alb"],
  check(lb) {
    if ((lb.config.load_balancer_type ?? "application") !== "application") return [];
    return isTrue(lb.config.drop_invalid_header_fields) ? [] : ["drop_invalid_header_fields is not true"];
  },
};
