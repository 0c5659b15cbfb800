import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { ReferenceDeployment } from "../src/reference-deployment.js";

interface Synthesized {
  variable: Record<string, { default?: unknown; validation?: { condition: string; error_message: string }[] }>;
  provider: { aws: { region: string; default_tags: unknown[] }[] };
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output: Record<string, { value: string }>;
}

const deployment = new ReferenceDeployment(Testing.app(), "nativelink");
const synth = JSON.parse(Testing.synth(deployment)) as Synthesized;

describe("reference deployment", () => {
  it("takes the original's variables; base_domain is required, like -var base_domain=…", () => {
    expect(Object.keys(synth.variable).sort()).toEqual(["ami_id_arm64", "ami_id_x86_64", "base_domain", "cas_domain_prefix", "region", "scheduler_domain_prefix", "scheduler_instance_type"]);
    expect(synth.variable.base_domain!.default).toBeUndefined();
    expect(synth.variable.cas_domain_prefix!.default).toBe("cas");
    expect(synth.variable.scheduler_domain_prefix!.default).toBe("scheduler");
    expect(synth.variable.scheduler_instance_type!.default).toBe("c6g.xlarge");
    expect(synth.variable.ami_id_arm64!.validation![0]!.error_message).toContain("ami-");
  });

  it("hard-codes no region or profile", () => {
    expect(synth.provider.aws[0]!.region).toBe('${var.region == "" ? null : var.region}');
    // NativeLink's own fallback inside the configuration (`${NATIVELINK_REGION:-…}`) is not a deployment region:
    // role.env always sets NATIVELINK_REGION from the provider's region.
    const text = JSON.stringify(synth).replace(/\$\$\{NATIVELINK_REGION:-[a-z0-9-]+\}/g, "");
    expect(text).not.toMatch(/\b(us|eu|ap|sa|ca|me|af)-[a-z]+-\d\b|"profile"/);
  });

  it("wires the variables into the cluster", () => {
    const certificate = Object.values(synth.resource.aws_acm_certificate!)[0]!;
    expect(certificate.domain_name).toBe("${var.cas_domain_prefix}.${var.base_domain}");
    const templates = Object.values(synth.resource.aws_launch_template!);
    expect(templates.find((t) => t.name === "nativelink-scheduler")!.instance_type).toBe("${var.scheduler_instance_type}");
    expect(templates.find((t) => t.name === "nativelink-workers-x86_64")!.image_id).toBe("${var.ami_id_x86_64}");
    expect(synth.output.cas_endpoint!.value).toBe("grpcs://${var.cas_domain_prefix}.${var.base_domain}");
  });

  it("passes the NativeLink security rule pack with no finding", () => {
    expect(deployment.checks.findings).toEqual([]);
  });

  it("keeps scheduler.internal.DOMAIN in the private zone with the DNS updater, synced at deploy time", () => {
    const fn = Object.values(synth.resource.aws_lambda_function!).find((f) => f.function_name === "nativelink-scheduler-dns")!;
    const environment = (fn.environment as { variables: Record<string, string> }).variables;
    expect(environment).toMatchObject({
      HOSTED_ZONE_ID: expect.stringMatching(/^\$\{aws_route53_zone\.Cluster_Endpoints_PrivateZone_[A-F0-9]+\.zone_id\}$/),
      RECORD_NAME: "${var.scheduler_domain_prefix}.internal.${var.base_domain}",
      SCHEDULER_ASG_NAME: expect.stringMatching(/^\$\{aws_autoscaling_group\.Cluster_scheduler_Group_[A-F0-9]+\.name\}$/),
    });
    expect(Object.keys(synth.resource.aws_lambda_invocation ?? {})).toHaveLength(1);
  });

  it("lets only the autoscaler reach the scheduler's metrics port", () => {
    const rules = Object.values(synth.resource.aws_vpc_security_group_ingress_rule!).filter((rule) => rule.from_port === 9464);
    expect(rules).toEqual([expect.objectContaining({
      to_port: 9464,
      security_group_id: expect.stringMatching(/^\$\{aws_security_group\.Cluster_SecurityGroups_scheduler_[A-F0-9]+\.id\}$/),
      referenced_security_group_id: expect.stringMatching(/^\$\{aws_security_group\.Autoscaler_/),
    })]);
    const feed = Object.values(synth.resource.aws_lambda_function!).find((f) => f.function_name === "nativelink-autoscaler")!;
    expect((feed.environment as { variables: Record<string, string> }).variables.FEED_URL).toBe("http://${var.scheduler_domain_prefix}.internal.${var.base_domain}:9464/metrics");
  });

  it("wires the autoscaler to both worker fleets, with drain hooks that outlast the workers' longest action", () => {
    const groups = Object.entries(synth.resource.aws_autoscaling_group!).filter(([, group]) => String(group.name).startsWith("nativelink-workers-"));
    expect(groups.map(([, group]) => group.name).sort()).toEqual(["nativelink-workers-arm64", "nativelink-workers-x86_64"]);
    const fn = Object.values(synth.resource.aws_lambda_function!).find((f) => f.function_name === "nativelink-autoscaler")!;
    const variables = (fn.environment as { variables: Record<string, string> }).variables;
    for (const [id] of groups) {
      const architecture = id.includes("x86_64") ? "X86_64" : "ARM64";
      expect(variables[`${architecture}_GROUP_NAME`]).toBe(`\${aws_autoscaling_group.${id}.name}`);
    }
    const hooks = Object.values(synth.resource.aws_autoscaling_lifecycle_hook!).filter((hook) => hook.name === "nativelink-drain");
    expect(hooks.map((hook) => hook.autoscaling_group_name).sort()).toEqual(groups.map(([id]) => `\${aws_autoscaling_group.${id}.name}`).sort());
    const longestAction = deployment.cluster.workerMaxActionTimeoutSeconds!;
    expect(longestAction).toBe(1200);
    for (const hook of hooks) {
      expect(hook.lifecycle_transition).toBe("autoscaling:EC2_INSTANCE_TERMINATING");
      expect(hook.heartbeat_timeout as number).toBeGreaterThanOrEqual(longestAction);
    }
  });

  it("bakes both images and boots every fleet from them when checksums are given", () => {
    const hash = "ab".repeat(32);
    const baked = new ReferenceDeployment(Testing.app(), "nativelink", {
      bake: { nativelinkSha256: { x86_64: hash, arm64: hash }, otelcolSha256: { x86_64: hash, arm64: hash } },
    });
    const bakedSynth = JSON.parse(Testing.synth(baked)) as Synthesized;
    expect(baked.checks.findings.filter((finding) => !finding.suppressed)).toEqual([]);
    expect(Object.keys(bakedSynth.variable)).not.toContain("ami_id_x86_64");
    const images = Object.keys(bakedSynth.resource.aws_imagebuilder_image!);
    expect(images).toHaveLength(2);
    const imageIds = Object.values(bakedSynth.resource.aws_launch_template!).map((template) => String(template.image_id));
    for (const imageId of imageIds) expect(imageId).toMatch(/^\$\{aws_imagebuilder_image\.Images_.*\.output_resources\[0\]\.amis\[0\]\.image\}$|^\$\{tolist\(aws_imagebuilder_image/);
    const infrastructure = Object.values(bakedSynth.resource.aws_imagebuilder_infrastructure_configuration!)[0]!;
    expect(infrastructure.subnet_id).toMatch(/aws_subnet\.Network_ImageBuilder_/);
  });

  it("npm run synth writes cdktf.out/stacks/nativelink/cdk.tf.json", () => {
    const appRoot = fileURLToPath(new URL("..", import.meta.url));
    execFileSync("node", ["dist/main.js"], { cwd: appRoot });
    const written = JSON.parse(readFileSync(`${appRoot}/cdktf.out/stacks/nativelink/cdk.tf.json`, "utf8")) as Synthesized;
    expect(Object.keys(written.output)).toContain("bazel_flags");
  });
});
