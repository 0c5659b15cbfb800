import type { CheckRule } from "../rule.js";
import { imageSource } from "./image-support.js";

export const imagePending: CheckRule = {
  id: "NL-AMI-2",
  severity: "warning",
  title: "No launch template waits for a pending image",
  explanation: "The image is a pending input (PendingInput): terraform plan stops at its guard until the missing input is provided.",
  fix: "do what the message says, then synthesize again",
  resourceTypes: ["aws_launch_template"],
  check(template, stack) {
    const source = imageSource(template, stack);
    return source.kind === "pending" ? [`its image is pending: ${source.message}`] : [];
  },
};
