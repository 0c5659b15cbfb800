import { type CheckRule, isTrue } from "../rule.js";
import { companions } from "./bucket-support.js";

const SETTINGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

export const s3PublicAccessBlocked: CheckRule = {
  id: "NL-S3-1",
  severity: "error",
  title: "S3 public access is fully blocked",
  explanation: "The CAS holds source and build outputs; a public ACL or policy would publish them.",
  fix: "add an aws_s3_bucket_public_access_block with all four settings true (SecureBucket does)",
  resourceTypes: ["aws_s3_bucket"],
  check(bucket, stack) {
    const blocks = companions(bucket, stack, "aws_s3_bucket_public_access_block");
    if (blocks.length === 0) return ["no public access block"];
    const off = SETTINGS.filter((setting) => !blocks.some((block) => isTrue(block.config[setting])));
    return off.length ? [`public access block leaves ${off.join(", ")} off`] : [];
  },
};
