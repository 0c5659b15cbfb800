import type { StackItem, StackView } from "../rule.js";

/** The `aws_s3_bucket_*` companion resources that configure `bucket`. */
export function companions(bucket: StackItem, stack: StackView, type: string): StackItem[] {
  return stack.ofType(type).filter((companion) => {
    const target = stack.referenced(companion.config.bucket);
    return target === bucket || (typeof bucket.config.bucket === "string" && companion.config.bucket === bucket.config.bucket);
  });
}
