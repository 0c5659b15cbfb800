// A NativeLink remote cache and remote execution cluster on AWS (https://github.com/TraceMachina/nativelink).
// Import provider classes by deep path: the @cdktf/provider-aws root costs seconds and ~550 MB to load.
import { fileURLToPath } from "node:url";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { NativeLinkDeployment } from "@nativelink-aws/deployment";
import { App, LocalBackend, TerraformStack, TerraformVariable } from "cdktf";

/** The stack `nativelink`: network, images, cluster, scheduler DNS, autoscaler, dashboard and alarms, wired. */
export function quickStart(app: App): TerraformStack {
  const stack = new TerraformStack(app, "nativelink");
  // Terraform runs in cdktf.out/stacks/nativelink: this keeps the state beside main.ts, where synthesis never deletes it.
  new LocalBackend(stack, { path: "../../../terraform.nativelink.tfstate" });
  // Credentials and region come from the environment (AWS_PROFILE, AWS_REGION), as for the AWS CLI.
  new AwsProvider(stack, "aws", {});
  const baseDomain = new TerraformVariable(stack, "base_domain", {
    type: "string",
    description: "An existing public Route 53 hosted zone, e.g. build.example.com.",
  });
  new NativeLinkDeployment(stack, "NativeLink", {
    baseDomain: baseDomain.stringValue,
    images: { lockFile: "images.lock.json" }, // written by `npx nativelink-aws images lock --out images.lock.json`
    // Both listeners verify client certificates against client-ca/, which `nativelink-aws certs publish` writes (clientCa).
  });
  return stack;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const app = new App();
  quickStart(app);
  app.synth();
}
