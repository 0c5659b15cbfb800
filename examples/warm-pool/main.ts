// The quick start with a warm pool on the x86_64 workers: stopped, already bootstrapped instances that a scale-out
// starts in seconds instead of booting new ones; a scale-in drains its workers and stops them back into the pool. A
// warm pool needs one on-demand instance type (Auto Scaling refuses warm pools with Spot or a mixed instances policy);
// the arm64 workers stay on Spot.
import { fileURLToPath } from "node:url";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { NativeLinkDeployment } from "@nativelink-aws/deployment";
import { App, LocalBackend, TerraformStack, TerraformVariable } from "cdktf";

export function warmPool(app: App): TerraformStack {
  const stack = new TerraformStack(app, "nativelink");
  new LocalBackend(stack, { path: "../../../terraform.nativelink.tfstate" }); // beside main.ts, outside cdktf.out
  new AwsProvider(stack, "aws", {});
  const baseDomain = new TerraformVariable(stack, "base_domain", {
    type: "string",
    description: "An existing public Route 53 hosted zone, e.g. build.example.com.",
  });
  new NativeLinkDeployment(stack, "NativeLink", {
    baseDomain: baseDomain.stringValue,
    images: { lockFile: "images.lock.json" }, // written by `npx nativelink-aws images lock --out images.lock.json`
    // example:start warm-pool
    cluster: {
      workers: {
        x86_64: {
          instanceTypes: ["m6id.large"], // one type: 2 vCPUs, so the group counts instances of 2 vCPUs
          purchaseOption: "on-demand",
          minVcpus: 2,
          maxVcpus: 100,
          // Four stopped instances (20 GiB gp3 root each: $6.40 a month) wait for the next burst; scaled-in workers are
          // drained back into the pool (reuseOnScaleIn defaults to true).
          warmPool: { minSize: 4 },
        },
      },
    },
    // example:end warm-pool
  });
  return stack;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const app = new App();
  warmPool(app);
  app.synth();
}
