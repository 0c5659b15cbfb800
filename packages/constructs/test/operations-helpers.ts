import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { TerraformStack, Testing } from "cdktf";
import { NativeLinkCluster } from "../src/cluster.js";
import { NativeLinkOperations, type NativeLinkOperationsProps } from "../src/operations/operations.js";
import { TEST_IMAGES, type Synthesized, TEST_CLIENT_AUTHENTICATION } from "./synth-helpers.js";

export function synthOperations(props: Partial<Omit<NativeLinkOperationsProps, "cluster">> = {}): Synthesized {
  const stack = new TerraformStack(Testing.app(), "ops");
  new AwsProvider(stack, "aws", {});
  const cluster = new NativeLinkCluster(stack, "Cluster", {
    baseDomain: "build.example.com",
    images: TEST_IMAGES,
    clientAuthentication: TEST_CLIENT_AUTHENTICATION,
  });
  new NativeLinkOperations(stack, "Operations", { cluster, ...props });
  return JSON.parse(Testing.synth(stack)) as Synthesized;
}
