// NativeLinkDeployment wires every part, bakes from the lock file, stays pending without it, and passes its props on.
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { ImagesLockError } from "@nativelink-aws/ami-builder";
import { roleEnvValue, userDataText } from "@nativelink-aws/constructs";
import { App, TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { NativeLinkDeployment, type NativeLinkDeploymentProps } from "../src/index.js";

const FIXTURE_LOCK = fileURLToPath(new URL("../../../tools/fixtures/images.lock.json", import.meta.url));
const AMI_IDS = { x86_64: "ami-0123456789abcdef0", arm64: "ami-0fedcba9876543210" };

type Resources = Record<string, Record<string, Record<string, unknown>>>;
interface Synthesized {
  resource: Resources;
  locals?: Record<string, unknown>;
  variable?: Record<string, unknown>;
}

function deploy(props: Partial<NativeLinkDeploymentProps> = {}, app: App = Testing.app()): { deployment: NativeLinkDeployment; stack: TerraformStack; synth: () => Synthesized } {
  const stack = new TerraformStack(app, "nativelink");
  new AwsProvider(stack, "aws", {});
  const deployment = new NativeLinkDeployment(stack, "NativeLink", { baseDomain: "build.example.com", images: { lockFile: FIXTURE_LOCK }, ...props });
  return { deployment, stack, synth: () => JSON.parse(Testing.synth(stack)) as Synthesized };
}
const all = (synth: Synthesized, type: string) => Object.values(synth.resource[type] ?? {});
const unsuppressed = (deployment: NativeLinkDeployment) => deployment.checks!.findings.filter((finding) => !finding.suppressed).map((finding) => finding.message);

describe("NativeLinkDeployment baking from a lock file", () => {
  const { deployment, synth: synthesize } = deploy();
  const synth = synthesize();
  const templates = all(synth, "aws_launch_template");

  it("bakes both images in the network's image-builder subnet and boots every fleet from them", () => {
    expect(all(synth, "aws_imagebuilder_image")).toHaveLength(2);
    const builderSubnet = all(synth, "aws_subnet").find((subnet) => (subnet.tags as Record<string, string>).Name === "nativelink-image-builder");
    expect(builderSubnet).toMatchObject({ map_public_ip_on_launch: true });
    for (const configuration of all(synth, "aws_imagebuilder_infrastructure_configuration")) expect(configuration.subnet_id).toMatch(/^\$\{aws_subnet\.NativeLink_Network_ImageBuilder_/);
    for (const template of templates) expect(template.image_id).toMatch(/aws_imagebuilder_image\.NativeLink_Images_Bake_/);
    expect(synth.variable).toBeUndefined();
    expect(deployment.pendingImages).toBeUndefined();
  });

  it("keeps the workers' scheduler host written: the DNS updater is tagged as the writer of exactly that name", () => {
    const hosts = new Set(templates.map((template) => roleEnvValue(userDataText(template.user_data), "NATIVELINK_SCHEDULER_HOST")).filter(Boolean));
    expect([...hosts]).toEqual(["scheduler.internal.build.example.com"]);
    const [fn] = all(synth, "aws_lambda_function").filter((f) => f.function_name === "nativelink-scheduler-dns");
    expect((fn!.tags as Record<string, string>)["nativelink:dns-record-writer"]).toBe("scheduler.internal.build.example.com");
    expect((fn!.environment as { variables: Record<string, string> }).variables.HOSTED_ZONE_ID).toMatch(/^\$\{aws_route53_zone\.NativeLink_Cluster_Endpoints_PrivateZone_/);
  });

  it("creates the drain hook the workers name on both worker groups, outlasting their longest action", () => {
    const groups = Object.entries(synth.resource.aws_autoscaling_group!).filter(([, group]) => String(group.name).startsWith("nativelink-workers-"));
    const hooks = all(synth, "aws_autoscaling_lifecycle_hook");
    expect(hooks.map((hook) => hook.autoscaling_group_name).sort()).toEqual(groups.map(([id]) => `\${aws_autoscaling_group.${id}.name}`).sort());
    for (const hook of hooks) expect(hook).toMatchObject({ name: "nativelink-drain", lifecycle_transition: "autoscaling:EC2_INSTANCE_TERMINATING", heartbeat_timeout: 3600 });
    const feed = all(synth, "aws_lambda_function").find((f) => f.function_name === "nativelink-autoscaler")!;
    expect((feed.environment as { variables: Record<string, string> }).variables.FEED_URL).toBe("http://scheduler.internal.build.example.com:9464/metrics");
  });

  it("charts and alarms on both functions, and passes the NativeLink rule pack with no finding", () => {
    expect(all(synth, "aws_cloudwatch_metric_alarm").map((alarm) => alarm.alarm_name)).toEqual(expect.arrayContaining(["nativelink-scheduler-dns-lambda-errors", "nativelink-autoscaler-lambda-errors"]));
    expect(unsuppressed(deployment)).toEqual([]);
  });

  it("synthesizes with app.synth(), validations included", () => {
    const { stack } = deploy({}, new App({ outdir: mkdtempSync(join(tmpdir(), "deployment-")) }));
    expect(() => (stack.node.root as App).synth()).not.toThrow();
  });

  it("reads a relative lock file path from the working directory, where synthesis runs", () => {
    const dir = mkdtempSync(join(tmpdir(), "deployment-cwd-"));
    copyFileSync(FIXTURE_LOCK, join(dir, "images.lock.json"));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(deploy({ images: { lockFile: "images.lock.json" } }).deployment.images.bake).toBeDefined();
    } finally {
      process.chdir(cwd);
    }
  });
});

describe("NativeLinkDeployment without its lock file", () => {
  const cwd = process.cwd();
  const { deployment, synth: synthesize } = deploy({ images: { lockFile: "no-such-dir/images.lock.json" } });
  const synth = synthesize();

  it("makes the images a pending input: the guard's message says exactly what to run", () => {
    expect(deployment.pendingImages!.message).toBe(
      "No images lock file at no-such-dir/images.lock.json in the folder synthesis runs in (the app's): there, run "
      + "`npx nativelink-aws images lock --out no-such-dir/images.lock.json` (it downloads the NativeLink and collector releases and verifies them "
      + "against what their publishers publish), commit the file, then synthesize again. Until then terraform plan stops here.",
    );
    const [guard] = all(synth, "terraform_data");
    expect((guard!.lifecycle as { precondition: { error_message: string }[] }).precondition[0]!.error_message).toBe(deployment.pendingImages!.message);
    for (const template of all(synth, "aws_launch_template")) expect(template.image_id).toMatch(/^\$\{terraform_data\.NativeLink_ImagesPending_Guard_[A-F0-9]+\.output\}$/);
  });

  it("bakes nothing, asks for no AMI variable, and creates no builder subnet", () => {
    expect(synth.resource.aws_imagebuilder_image).toBeUndefined();
    expect(synth.variable).toBeUndefined();
    expect(all(synth, "aws_subnet").some((subnet) => subnet.map_public_ip_on_launch)).toBe(false);
  });

  it("reports only the pending images, as warnings", () => {
    expect(deployment.checks!.findings.filter((finding) => !finding.suppressed).map((finding) => `${finding.severity} ${finding.ruleId}`)).toEqual(["warning NL-AMI-2", "warning NL-AMI-2", "warning NL-AMI-2", "warning NL-AMI-2"]);
  });

  it("writes no absolute path into the stack", () => {
    expect(JSON.stringify(synth)).not.toContain(cwd);
  });

  it("names an absolute lock file path as it is", () => {
    expect(deploy({ images: { lockFile: "/nowhere/images.lock.json" } }).deployment.pendingImages!.message).toMatch(
      /^No images lock file at \/nowhere\/images\.lock\.json: run `npx nativelink-aws images lock --out \/nowhere\/images\.lock\.json`/,
    );
  });

  it("refuses a lock file that exists but is not a lock, naming the command that writes one", () => {
    const dir = mkdtempSync(join(tmpdir(), "deployment-bad-"));
    writeFileSync(join(dir, "images.lock.json"), "{\"format\": 2}\n");
    expect(() => deploy({ images: { lockFile: join(dir, "images.lock.json") } })).toThrow(ImagesLockError);
    expect(() => deploy({ images: { lockFile: join(dir, "images.lock.json") } })).toThrow(/Write it again with: npx nativelink-aws images lock --out /);
  });
});

describe("NativeLinkDeployment with existing AMIs", () => {
  const { deployment, synth: synthesize } = deploy({ images: { amiIds: AMI_IDS, metricsPort: 9500 } });
  const synth = synthesize();

  it("boots them, bakes nothing, and gives the autoscaler their collector's port", () => {
    expect(synth.resource.aws_imagebuilder_image).toBeUndefined();
    expect(all(synth, "aws_launch_template").map((template) => template.image_id).sort()).toEqual([AMI_IDS.arm64, AMI_IDS.arm64, AMI_IDS.arm64, AMI_IDS.x86_64].sort());
    const feed = all(synth, "aws_lambda_function").find((f) => f.function_name === "nativelink-autoscaler")!;
    expect((feed.environment as { variables: Record<string, string> }).variables.FEED_URL).toBe("http://scheduler.internal.build.example.com:9500/metrics");
    expect(unsuppressed(deployment)).toEqual([]);
  });
});

describe("NativeLinkDeployment props", () => {
  it.each([
    [{}, "no image source is given"],
    [{ lockFile: "images.lock.json", amiIds: AMI_IDS }, "it sets lockFile and amiIds"],
    [{ amiIds: AMI_IDS, bake: { bakeRevision: "2" } }, "'images.bake': amiIds bake nothing"],
    [{ lockFile: " " }, "'images.lockFile': it is not a path"],
  ])("refuses images %j, naming the prop and the fix", (images, problem) => {
    expect(() => deploy({ images: images as NativeLinkDeploymentProps["images"] })).toThrow(problem);
    if (problem.startsWith("no") || problem.startsWith("it sets")) {
      expect(() => deploy({ images: images as NativeLinkDeploymentProps["images"] })).toThrow(/nativelink\/NativeLink: invalid prop 'images': .*Fix: pass exactly one of \{ lockFile: "images.lock.json" \}/);
    }
  });

  it("refuses a bad deployment name before creating anything", () => {
    expect(() => deploy({ name: "Not_Valid" })).toThrow("nativelink/NativeLink: invalid prop 'name'");
  });

  it("bakes in the private subnets when a NAT gateway gives them egress, with no public builder subnet", () => {
    const synth = deploy({ network: { natGateway: true } }).synth();
    expect(all(synth, "aws_subnet").some((subnet) => subnet.map_public_ip_on_launch)).toBe(false);
    for (const configuration of all(synth, "aws_imagebuilder_infrastructure_configuration")) expect(configuration.subnet_id).toMatch(/^\$\{aws_subnet\.NativeLink_Network_Private0_/);
  });

  it("passes each part's own props on", () => {
    const { deployment, synth } = deploy({
      name: "ci-cache",
      instanceName: "ci",
      cluster: { workers: { arm64: false }, logGroupName: "/ci/nativelink" },
      schedulerDns: { recordTtlSeconds: 10 },
      autoscaler: { mode: "metrics-only" },
      operations: { alarmTopic: false },
      images: { lockFile: FIXTURE_LOCK, bake: { bakeRevision: "2026-12-03" } },
    });
    const json = synth();
    expect(all(json, "aws_autoscaling_group").map((group) => group.name).sort()).toEqual(["ci-cache-cas", "ci-cache-scheduler", "ci-cache-workers-x86_64"]);
    expect(all(json, "aws_autoscaling_lifecycle_hook").map((hook) => hook.name)).toEqual(["ci-cache-drain"]);
    expect(all(json, "aws_autoscaling_policy").length).toBeGreaterThan(0);
    expect(json.resource.aws_sns_topic).toBeUndefined();
    expect(deployment.images.logGroupName).toBe("/ci/nativelink");
    expect(all(json, "aws_cloudwatch_log_group").map((group) => group.name)).toContain("/ci/nativelink");
    const dns = all(json, "aws_lambda_function").find((f) => f.function_name === "ci-cache-scheduler-dns")!;
    expect((dns.environment as { variables: Record<string, string> }).variables.RECORD_TTL).toBe("10");
    expect(deployment.cluster.instanceName).toBe("ci");
    expect(unsuppressed(deployment)).toEqual([]);
  });

  it("leaves the autoscaler out of a cluster without workers", () => {
    const { deployment, synth } = deploy({ cluster: { workers: { x86_64: false, arm64: false } } });
    expect(deployment.autoscaler).toBeUndefined();
    expect(synth().resource.aws_autoscaling_lifecycle_hook).toBeUndefined();
    expect(unsuppressed(deployment)).toEqual([]);
  });

  it("adds the rule pack unless checks is false", () => {
    expect(deploy({ checks: false }).deployment.checks).toBeUndefined();
  });
});
