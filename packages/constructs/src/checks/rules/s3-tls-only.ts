import type { CheckRule } from "../rule.js";
import { policyStatements } from "../policy-statements.js";
import { companions } from "./bucket-support.js";

export const s3TlsOnly: CheckRule = {
  id: "NL-S3-3",
  severity: "error",
  title: "S3 buckets deny requests without TLS",
  explanation: "A bucket policy that denies aws:SecureTransport = false keeps every client, including misconfigured ones, on HTTPS.",
  fix: 'add a bucket policy statement: Deny s3:* when aws:SecureTransport is "false" (SecureBucket does)',
  resourceTypes: ["aws_s3_bucket"],
  check(bucket, stack) {
    const denies = companions(bucket, stack, "aws_s3_bucket_policy").some((policy) =>
      (policyStatements(policy.config.policy, stack) ?? []).some(
        (statement) => statement.effect === "Deny" && statement.conditions.some((c) => c.variable === "aws:SecureTransport" && c.values.includes("false")),
      ),
    );
    return denies ? [] : ["no bucket policy denies requests without TLS"];
  },
};
