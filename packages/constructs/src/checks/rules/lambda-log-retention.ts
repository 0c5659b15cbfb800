import { blocks, type CheckRule } from "../rule.js";

export const lambdaLogRetention: CheckRule = {
  id: "NL-LAMBDA-1",
  severity: "error",
  title: "Every Lambda function has a log group with a retention",
  explanation: "Without one, Lambda creates /aws/lambda/<name> itself with logs kept forever, and Terraform never deletes it.",
  fix: "create an aws_cloudwatch_log_group with retention_in_days and point logging_config.log_group at it (or name it /aws/lambda/<function_name>)",
  resourceTypes: ["aws_lambda_function"],
  check(fn, stack) {
    const groups = stack.ofType("aws_cloudwatch_log_group");
    const configured = blocks(fn.config.logging_config)[0]?.log_group;
    const group = groups.find(
      (candidate) =>
        stack.referenced(configured) === candidate ||
        (configured !== undefined && candidate.config.name === configured) ||
        candidate.config.name === `/aws/lambda/${String(fn.config.function_name)}`,
    );
    if (!group) return ["no log group is created for the function"];
    return typeof group.config.retention_in_days === "number" && group.config.retention_in_days > 0
      ? []
      : ["its log group keeps logs forever (no retention_in_days)"];
  },
};
