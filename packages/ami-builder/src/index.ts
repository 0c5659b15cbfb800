/** NativeLink AMIs (x86_64, arm64) with EC2 Image Builder, and the on-instance bootstrap. */
export const packageName = "@nativelink-aws/ami-builder";
