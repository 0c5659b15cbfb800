// The quick start with Terraform state in S3, locked with S3's own conditional writes (use_lockfile, Terraform 1.10+).
import { fileURLToPath } from "node:url";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { NativeLinkDeployment } from "@nativelink-aws/deployment";
import { App, S3Backend, TerraformStack, TerraformVariable } from "cdktf";

export function s3BackendStack(app: App): TerraformStack {
  const stack = new TerraformStack(app, "nativelink");
  // An existing, versioned bucket of yours; its region comes from AWS_REGION or the profile, like the provider's.
  const backend = new S3Backend(stack, { bucket: "my-terraform-state", key: "nativelink/terraform.tfstate", encrypt: true });
  // cdktf 0.21's S3BackendConfig predates use_lockfile (no DynamoDB table needed): set it with an override.
  backend.addOverride("use_lockfile", true);
  // use_lockfile is an unsupported argument before Terraform 1.10: say so at `terraform init`, not with a parse error.
  stack.addOverride("terraform.required_version", ">= 1.10.0");
  new AwsProvider(stack, "aws", {});
  const baseDomain = new TerraformVariable(stack, "base_domain", {
    type: "string",
    description: "An existing public Route 53 hosted zone, e.g. build.example.com.",
  });
  new NativeLinkDeployment(stack, "NativeLink", {
    baseDomain: baseDomain.stringValue,
    images: { lockFile: "images.lock.json" }, // written by `npx nativelink-aws images lock --out images.lock.json`
  });
  return stack;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const app = new App();
  s3BackendStack(app);
  app.synth();
}
