import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity/index.js";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition/index.js";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region/index.js";
import { TerraformStack } from "./cdktf.js";
import type { Construct } from "constructs";

/** Account, region and partition of the stack, read once per stack: nothing is hard-coded. */
export interface AwsContext {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** `amazonaws.com` or the partition's own suffix, for service principals. */
  readonly dnsSuffix: string;
}

function singleton<T extends Construct>(stack: TerraformStack, id: string, create: () => T): T {
  return (stack.node.tryFindChild(id) as T | undefined) ?? create();
}

export function awsContext(scope: Construct): AwsContext {
  const stack = TerraformStack.of(scope);
  const identity = singleton(stack, "NativeLinkCallerIdentity", () => new DataAwsCallerIdentity(stack, "NativeLinkCallerIdentity"));
  const region = singleton(stack, "NativeLinkRegion", () => new DataAwsRegion(stack, "NativeLinkRegion"));
  const partition = singleton(stack, "NativeLinkPartition", () => new DataAwsPartition(stack, "NativeLinkPartition"));
  return { accountId: identity.accountId, region: region.region, partition: partition.partition, dnsSuffix: partition.dnsSuffix };
}
