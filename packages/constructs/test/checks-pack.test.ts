import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template/index.js";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { App, Aspects, TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { checkTerraformJson } from "../src/checks/check-json.js";
import { NativeLinkChecks } from "../src/checks/native-link-checks.js";
import type { CheckRule } from "../src/checks/rule.js";
import { suppressCheck } from "../src/checks/suppressions.js";
import { clusterStack } from "./synth-helpers.js";

function appWithTemplate(httpTokens: string, suppress?: string): { app: App; stack: TerraformStack; checks: NativeLinkChecks; outdir: string } {
  const outdir = mkdtempSync(join(tmpdir(), "checks-"));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "checked");
  new AwsProvider(stack, "aws", {});
  const template = new LaunchTemplate(stack, "Template", {
    metadataOptions: { httpTokens },
    networkInterfaces: [{ associatePublicIpAddress: "false" }],
    blockDeviceMappings: [{ deviceName: "/dev/sda1", ebs: { encrypted: "true" } }],
  });
  if (suppress) suppressCheck(template, "NL-EC2-1", suppress);
  const checks = new NativeLinkChecks();
  Aspects.of(stack).add(checks);
  return { app, stack, checks, outdir };
}

describe("NativeLinkChecks", () => {
  it("finds in the cluster with its defaults only what it needs from outside: a scheduler record writer and drain hooks", () => {
    const stack = clusterStack();
    const checks = new NativeLinkChecks();
    Aspects.of(stack).add(checks);
    Testing.synth(stack);
    expect(checks.findings.map((finding) => `${finding.ruleId} ${finding.path}`).sort()).toEqual([
      "NL-ASG-1 test/Cluster/workers-arm64/Group",
      "NL-ASG-1 test/Cluster/workers-x86_64/Group",
      "NL-DNS-1 test/Cluster/workers-arm64/LaunchTemplate",
      "NL-DNS-1 test/Cluster/workers-x86_64/LaunchTemplate",
    ]);
  });

  it("fails synthesis on an error finding, naming the rule, the resource and the fix", () => {
    const { app } = appWithTemplate("optional");
    expect(() => app.synth()).toThrow(
      /\[checked\/Template\] \[NL-EC2-1\] IMDSv2 is required on every launch template: .*Fix: set metadata_options \{ http_tokens = "required" \}/s,
    );
  });

  it("records a suppression and its reason in the synthesized metadata instead of failing", () => {
    const { app, checks, outdir } = appWithTemplate("optional", "a legacy AMI whose agent only speaks IMDSv1");
    app.synth();
    const json = JSON.parse(readFileSync(join(outdir, "stacks/checked/cdk.tf.json"), "utf8")) as {
      resource: { aws_launch_template: { Template: { "//": Record<string, unknown> } } };
    };
    expect(json.resource.aws_launch_template.Template["//"].nativelink_checks_suppressed).toEqual([
      { id: "NL-EC2-1", reason: "a legacy AMI whose agent only speaks IMDSv1" },
    ]);
    expect(checks.findings).toEqual([
      expect.objectContaining({ ruleId: "NL-EC2-1", suppressed: { id: "NL-EC2-1", reason: "a legacy AMI whose agent only speaks IMDSv1" } }),
    ]);
  });

  it("requires a written reason to suppress", () => {
    expect(() => appWithTemplate("optional", "   ")).toThrow(
      "checked/Template: suppressing NL-EC2-1 needs a written reason of at least 10 characters saying why the rule does not apply here",
    );
  });

  it("reports warnings without failing synthesis", () => {
    const outdir = mkdtempSync(join(tmpdir(), "checks-"));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "warned");
    new AwsProvider(stack, "aws", {});
    new LaunchTemplate(stack, "Template", {});
    const advisory: CheckRule = {
      id: "X-1",
      severity: "warning",
      title: "advice",
      explanation: "Why.",
      fix: "do this",
      resourceTypes: ["aws_launch_template"],
      check: () => ["a problem"],
    };
    const checks = new NativeLinkChecks([advisory]);
    Aspects.of(stack).add(checks);
    expect(() => app.synth()).not.toThrow();
    expect(checks.findings).toEqual([expect.objectContaining({ ruleId: "X-1", severity: "warning", path: "warned/Template" })]);
  });
});

describe("checkTerraformJson", () => {
  it("finds in synthesized JSON what the aspect finds, and honours the suppressions recorded there", () => {
    const { app, checks, outdir } = appWithTemplate("optional", "a legacy AMI whose agent only speaks IMDSv1");
    app.synth();
    const json = JSON.parse(readFileSync(join(outdir, "stacks/checked/cdk.tf.json"), "utf8")) as Parameters<typeof checkTerraformJson>[0];
    expect(checkTerraformJson(json)).toEqual(checks.findings);
    const bare = JSON.parse(Testing.synth(clusterStack())) as Parameters<typeof checkTerraformJson>[0];
    expect(
      checkTerraformJson(bare)
        .map((finding) => finding.ruleId)
        .sort(),
    ).toEqual(["NL-ASG-1", "NL-ASG-1", "NL-DNS-1", "NL-DNS-1"]);
  });
});
