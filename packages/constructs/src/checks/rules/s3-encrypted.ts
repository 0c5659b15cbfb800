import { blocks, type CheckRule } from "../rule.js";
import { companions } from "./bucket-support.js";

export const s3Encrypted: CheckRule = {
  id: "NL-S3-2",
  severity: "error",
  title: "S3 buckets have default encryption",
  explanation: "Default encryption makes every object encrypted at rest, whatever the writer asked for.",
  fix: "add an aws_s3_bucket_server_side_encryption_configuration (AES256 or aws:kms)",
  resourceTypes: ["aws_s3_bucket"],
  check(bucket, stack) {
    const configured = companions(bucket, stack, "aws_s3_bucket_server_side_encryption_configuration").some((config) =>
      blocks(config.config.rule).some((rule) => blocks(rule.apply_server_side_encryption_by_default).some((apply) => Boolean(apply.sse_algorithm))),
    );
    return configured ? [] : ["no default encryption"];
  },
};
