/** CDK for Terraform constructs for a NativeLink cluster on AWS: network, storage, endpoints, load balancing, fleets. */
export const packageName = "@nativelink-aws/constructs";
