import { blocks, type CheckRule } from "../rule.js";

export const imdsv2Required: CheckRule = {
  id: "NL-EC2-1",
  severity: "error",
  title: "IMDSv2 is required on every launch template",
  explanation: "IMDSv1 answers any request from the instance, so a server-side request forgery can read the instance role's credentials.",
  fix: 'set metadata_options { http_tokens = "required" } (metadataOptions.httpTokens)',
  resourceTypes: ["aws_launch_template", "aws_instance"],
  check(item) {
    const options = blocks(item.config.metadata_options)[0];
    return options?.http_tokens === "required" ? [] : ['IMDSv2 is not required (metadata_options.http_tokens is not "required")'];
  },
};
