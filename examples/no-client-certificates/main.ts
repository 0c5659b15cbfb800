// The quick start without client certificates, opted out explicitly: only the office's addresses reach the load
// balancer, and anyone behind them may run actions on the workers. No writers' listener (no writersListener: true):
// the action cache is read-only through the load balancer, written only by the workers.
import { fileURLToPath } from "node:url";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { NativeLinkDeployment } from "@nativelink-aws/deployment";
import { App, LocalBackend, TerraformStack, TerraformVariable } from "cdktf";

export function noClientCertificates(app: App): TerraformStack {
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
    // example:start off
    // Recorded as the suppression of NL-ELB-3 on the listener, for reviewers; client_certificate_required is false.
    clientAuthentication: { mode: "off", reason: "only the office's egress addresses reach it, and every machine there is managed" },
    cluster: { clientCidrs: ["203.0.113.0/24"] }, // the office's egress addresses
    // example:end off
  });
  return stack;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const app = new App();
  noClientCertificates(app);
  app.synth();
}
