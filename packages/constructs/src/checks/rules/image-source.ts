import type { CheckRule } from "../rule.js";
import { imageSource } from "./image-support.js";

export const imageSourceExists: CheckRule = {
  id: "NL-AMI-1",
  severity: "error",
  title: "Every launch template's image has a source",
  explanation: "An instance boots only from an AMI that exists: a literal ami-… id, a Terraform variable, a data source, or an AMI this stack bakes.",
  fix:
    "pass the AMI ids of NativeLinkImage (@nativelink-aws/ami-builder, baked from an images lock file) or existing ami-… ids; " +
    "NativeLinkDeployment from @nativelink-aws/deployment takes images: { lockFile } or { amiIds }",
  resourceTypes: ["aws_launch_template"],
  check(template, stack) {
    const source = imageSource(template, stack);
    return source.kind === "missing" ? [source.problem] : [];
  },
};
