// NativeLinkDeployment wires every part, bakes from the lock file, stays pending without it, and passes its props on.
import { copyFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { ImagesLockError } from "@nativelink-aws/ami-builder";
import { readClientCaDirectory, roleEnvValue, userDataText } from "@nativelink-aws/constructs";
import { ClientCaError } from "@nativelink-aws/nativelink-config";
import { App, TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { missingClientCaMessage, missingLockMessage, NativeLinkDeployment, type NativeLinkDeploymentProps } from "../src/index.js";

const FIXTURE_LOCK = fileURLToPath(new URL("../../../tools/fixtures/images.lock.json", import.meta.url));
/** What `nativelink-aws certs publish` wrote for the deployment "nativelink" (tools/README.md). */
const FIXTURE_CLIENT_CA = fileURLToPath(new URL("../../../tools/fixtures/client-ca", import.meta.url));
const AMI_IDS = { x86_64: "ami-0123456789abcdef0", arm64: "ami-0fedcba9876543210" };

type Resources = Record<string, Record<string, Record<string, unknown>>>;
interface Synthesized {
  resource: Resources;
  locals?: Record<string, unknown>;
  variable?: Record<string, unknown>;
}

function deploy(
  props: Partial<NativeLinkDeploymentProps> = {},
  app: App = Testing.app(),
): { deployment: NativeLinkDeployment; stack: TerraformStack; synth: () => Synthesized } {
  const stack = new TerraformStack(app, "nativelink");
  new AwsProvider(stack, "aws", {});
  // The fixture client CA unless the test chooses (a key present but undefined means the default, "client-ca").
  const clientCa = "clientCa" in props || "clientAuthentication" in props ? {} : { clientCa: FIXTURE_CLIENT_CA };
  const deployment = new NativeLinkDeployment(stack, "NativeLink", {
    baseDomain: "build.example.com",
    images: { lockFile: FIXTURE_LOCK },
    ...clientCa,
    ...props,
  });
  return { deployment, stack, synth: () => JSON.parse(Testing.synth(stack)) as Synthesized };
}
const all = (synth: Synthesized, type: string) => Object.values(synth.resource[type] ?? {});
const unsuppressed = (deployment: NativeLinkDeployment) =>
  deployment.checks!.findings.filter((finding) => !finding.suppressed).map((finding) => finding.message);

describe("NativeLinkDeployment baking from a lock file", () => {
  const { deployment, synth: synthesize } = deploy();
  const synth = synthesize();
  const templates = all(synth, "aws_launch_template");

  it("bakes both images in the network's image-builder subnet and boots every fleet from them", () => {
    expect(all(synth, "aws_imagebuilder_image")).toHaveLength(2);
    const builderSubnet = all(synth, "aws_subnet").find((subnet) => (subnet.tags as Record<string, string>).Name === "nativelink-image-builder");
    expect(builderSubnet).toMatchObject({ map_public_ip_on_launch: true });
    for (const configuration of all(synth, "aws_imagebuilder_infrastructure_configuration"))
      expect(configuration.subnet_id).toMatch(/^\$\{aws_subnet\.NativeLink_Network_ImageBuilder_/);
    for (const template of templates) expect(template.image_id).toMatch(/aws_imagebuilder_image\.NativeLink_Images_Bake_/);
    expect(synth.variable).toBeUndefined();
    expect(deployment.pendingImages).toBeUndefined();
  });

  it("keeps the workers' scheduler host written: the DNS updater is tagged as the writer of exactly that name", () => {
    const hosts = new Set(templates.map((template) => roleEnvValue(userDataText(template.user_data), "NATIVELINK_SCHEDULER_HOST")).filter(Boolean));
    expect([...hosts]).toEqual(["scheduler.internal.build.example.com"]);
    const [fn] = all(synth, "aws_lambda_function").filter((f) => f.function_name === "nativelink-scheduler-dns");
    expect((fn!.tags as Record<string, string>)["nativelink:dns-record-writer"]).toBe("scheduler.internal.build.example.com");
    expect((fn!.environment as { variables: Record<string, string> }).variables.HOSTED_ZONE_ID).toMatch(
      /^\$\{aws_route53_zone\.NativeLink_Cluster_Endpoints_PrivateZone_/,
    );
  });

  it("creates the drain hook the workers name on both worker groups, outlasting their longest action", () => {
    const groups = Object.entries(synth.resource.aws_autoscaling_group!).filter(([, group]) => String(group.name).startsWith("nativelink-workers-"));
    const hooks = all(synth, "aws_autoscaling_lifecycle_hook");
    expect(hooks.map((hook) => hook.autoscaling_group_name).sort()).toEqual(groups.map(([id]) => `\${aws_autoscaling_group.${id}.name}`).sort());
    for (const hook of hooks)
      expect(hook).toMatchObject({ name: "nativelink-drain", lifecycle_transition: "autoscaling:EC2_INSTANCE_TERMINATING", heartbeat_timeout: 3600 });
    const feed = all(synth, "aws_lambda_function").find((f) => f.function_name === "nativelink-autoscaler")!;
    expect((feed.environment as { variables: Record<string, string> }).variables.FEED_URL).toBe("http://scheduler.internal.build.example.com:9464/metrics");
  });

  it("charts and alarms on both functions, and passes the NativeLink rule pack with no finding", () => {
    expect(all(synth, "aws_cloudwatch_metric_alarm").map((alarm) => alarm.alarm_name)).toEqual(
      expect.arrayContaining(["nativelink-scheduler-dns-lambda-errors", "nativelink-autoscaler-lambda-errors"]),
    );
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
      "No images lock file at no-such-dir/images.lock.json in the folder synthesis runs in (the app's): there, run " +
        "`npx nativelink-aws images lock --out no-such-dir/images.lock.json` (it downloads the NativeLink and collector releases and verifies them " +
        "against what their publishers publish), commit the file, then synthesize again. Until then terraform plan stops here.",
    );
    const [guard] = all(synth, "terraform_data");
    expect((guard!.lifecycle as { precondition: { error_message: string }[] }).precondition[0]!.error_message).toBe(deployment.pendingImages!.message);
    for (const template of all(synth, "aws_launch_template"))
      expect(template.image_id).toMatch(/^\$\{terraform_data\.NativeLink_ImagesPending_Guard_[A-F0-9]+\.output\}$/);
  });

  it("bakes nothing, asks for no AMI variable, and creates no builder subnet", () => {
    expect(synth.resource.aws_imagebuilder_image).toBeUndefined();
    expect(synth.variable).toBeUndefined();
    expect(all(synth, "aws_subnet").some((subnet) => subnet.map_public_ip_on_launch)).toBe(false);
  });

  it("reports only the pending images, as warnings", () => {
    expect(deployment.checks!.findings.filter((finding) => !finding.suppressed).map((finding) => `${finding.severity} ${finding.ruleId}`)).toEqual([
      "warning NL-AMI-2",
      "warning NL-AMI-2",
      "warning NL-AMI-2",
      "warning NL-AMI-2",
    ]);
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
    writeFileSync(join(dir, "images.lock.json"), '{"format": 2}\n');
    expect(() => deploy({ images: { lockFile: join(dir, "images.lock.json") } })).toThrow(ImagesLockError);
    expect(() => deploy({ images: { lockFile: join(dir, "images.lock.json") } })).toThrow(/Write it again with: npx nativelink-aws images lock --out /);
  });
});

describe("NativeLinkDeployment with existing AMIs", () => {
  const { deployment, synth: synthesize } = deploy({ images: { amiIds: AMI_IDS, metricsPort: 9500 } });
  const synth = synthesize();

  it("boots them, bakes nothing, and gives the autoscaler their collector's port", () => {
    expect(synth.resource.aws_imagebuilder_image).toBeUndefined();
    expect(
      all(synth, "aws_launch_template")
        .map((template) => template.image_id)
        .sort(),
    ).toEqual([AMI_IDS.arm64, AMI_IDS.arm64, AMI_IDS.arm64, AMI_IDS.x86_64].sort());
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
      expect(() => deploy({ images: images as NativeLinkDeploymentProps["images"] })).toThrow(
        /nativelink\/NativeLink: invalid prop 'images': .*Fix: pass exactly one of \{ lockFile: "images.lock.json" \}/,
      );
    }
  });

  it("refuses a warm pool with the metrics-only autoscaler (its steps count vCPUs, the pool's group instances), and takes it otherwise", () => {
    const cluster: NativeLinkDeploymentProps["cluster"] = {
      workers: { x86_64: { instanceTypes: ["m6id.large"], purchaseOption: "on-demand", warmPool: { minSize: 1 } }, arm64: false },
    };
    expect(() => deploy({ cluster, autoscaler: { mode: "metrics-only" } })).toThrow(
      /invalid prop 'cluster\.workers\.x86_64\.warmPool': .*metrics-only.*Fix: use autoscaler mode "set-capacity"/,
    );
    const { synth } = deploy({ cluster });
    expect(Object.keys(synth().resource.aws_autoscaling_group ?? {}).some((id) => id.includes("x86_64"))).toBe(true);
  });

  it("refuses a bad deployment name before creating anything", () => {
    expect(() => deploy({ name: "Not_Valid" })).toThrow("nativelink/NativeLink: invalid prop 'name'");
  });

  it("bakes in the private subnets when a NAT gateway gives them egress, with no public builder subnet", () => {
    const synth = deploy({ network: { natGateway: true } }).synth();
    expect(all(synth, "aws_subnet").some((subnet) => subnet.map_public_ip_on_launch)).toBe(false);
    for (const configuration of all(synth, "aws_imagebuilder_infrastructure_configuration"))
      expect(configuration.subnet_id).toMatch(/^\$\{aws_subnet\.NativeLink_Network_Private0_/);
  });

  it("ships NativeLink's log to the group the cluster creates, by default too", () => {
    const { deployment, synth } = deploy();
    expect(deployment.images.logGroupName).toBe("/nativelink/nativelink");
    expect(all(synth(), "aws_cloudwatch_log_group").map((group) => group.name)).toContain(deployment.images.logGroupName);
  });

  it("passes each part's own props on", () => {
    const { readers, writers } = readClientCaDirectory(FIXTURE_CLIENT_CA);
    const { deployment, synth } = deploy({
      name: "ci-cache",
      clientAuthentication: { mode: "verify", readers, writers },
      instanceName: "ci",
      cluster: { workers: { arm64: false }, logGroupName: "/ci/nativelink" },
      schedulerDns: { recordTtlSeconds: 10 },
      autoscaler: { mode: "metrics-only" },
      operations: { alarmTopic: false },
      images: { lockFile: FIXTURE_LOCK, bake: { bakeRevision: "2026-12-03" } },
    });
    const json = synth();
    expect(
      all(json, "aws_autoscaling_group")
        .map((group) => group.name)
        .sort(),
    ).toEqual(["ci-cache-cas", "ci-cache-scheduler", "ci-cache-workers-x86_64"]);
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

describe("NativeLinkDeployment's client authentication", () => {
  const listeners = (synth: Synthesized) =>
    all(synth, "aws_lb_listener").map((listener) => [listener.port, (listener.mutual_authentication as { mode?: string } | undefined)?.mode]);

  it("verifies client certificates on both listeners against the published client CA directory", () => {
    const { deployment, synth } = deploy();
    const json = synth();
    expect(listeners(json)).toEqual([
      [443, "verify"],
      [8443, "verify"],
    ]);
    const bundles = all(json, "aws_s3_object")
      .filter((object) => String(object.key).includes("/ca-bundle-"))
      .map((object) => object.content);
    const pem = (file: string) => readFileSync(join(FIXTURE_CLIENT_CA, file), "utf8");
    expect(bundles).toEqual([pem("developers-ca.pem") + pem("ci-ca.pem"), pem("ci-ca.pem")]);
    expect(deployment.pendingClientCa).toBeUndefined();
    expect(deployment.cluster.clientCertificateRequired).toBe(true);
  });

  it("reads the default directory, client-ca, from the working directory, where synthesis runs", () => {
    const dir = mkdtempSync(join(tmpdir(), "deployment-client-ca-"));
    cpSync(FIXTURE_CLIENT_CA, join(dir, "client-ca"), { recursive: true });
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const { deployment } = deploy({ clientCa: undefined });
      expect(deployment.pendingClientCa).toBeUndefined();
      expect(deployment.cluster.clientTrustStores).toBeDefined();
    } finally {
      process.chdir(cwd);
    }
  });

  describe("without the directory", () => {
    const { deployment, synth: synthesize } = deploy({ clientCa: "no-such-dir/client-ca" });
    const synth = synthesize();

    it("makes the client CAs a pending input: the guard's message says exactly what to run", () => {
      expect(deployment.pendingClientCa!.message).toBe(
        "No client CA directory at no-such-dir/client-ca in the folder synthesis runs in (the app's): there, run " +
          "`npx nativelink-aws certs init --deployment nativelink` if this deployment has no client CAs yet (their private keys stay in " +
          "~/.nativelink-aws/nativelink/pki, never in the app), then `npx nativelink-aws certs publish --deployment nativelink --out no-such-dir/client-ca` " +
          "(the public CA certificates and revocation lists the load balancer verifies client certificates against; commit them), then synthesize again. " +
          "Give each person and CI system a certificate with `npx nativelink-aws certs " +
          "issue --deployment nativelink --name NAME --kind developer|ci --out DIR`. " +
          "Until then terraform plan stops here.",
      );
      const guard = Object.entries(synth.resource.terraform_data!).find(([id]) => id.includes("ClientCaPending"))!;
      expect((guard[1].lifecycle as { precondition: { error_message: string }[] }).precondition[0]!.error_message).toBe(deployment.pendingClientCa!.message);
      for (const store of all(synth, "aws_lb_trust_store")) expect(store.ca_certificates_bundle_s3_key).toBe(`\${terraform_data.${guard[0]}.output}`);
    });

    it("still verifies client certificates on both listeners, and reports only the pending client CAs, as warnings", () => {
      expect(listeners(synth)).toEqual([
        [443, "verify"],
        [8443, "verify"],
      ]);
      expect(deployment.checks!.findings.filter((finding) => !finding.suppressed).map((finding) => `${finding.severity} ${finding.ruleId}`)).toEqual([
        "warning NL-ELB-4",
        "warning NL-ELB-4",
      ]);
    });
  });

  it("takes clientAuthentication instead, e.g. switched off with a reason, recorded as NL-ELB-3's suppression", () => {
    const { deployment, synth } = deploy({
      clientAuthentication: { mode: "off", reason: "reachable only through the office VPN" },
      cluster: { clientCidrs: ["0.0.0.0/0"] },
    });
    // No writers' listener without client certificates (clientAuthentication.writersListener is not set).
    expect(listeners(synth())).toEqual([[443, undefined]]);
    expect(
      deployment.checks!.findings.filter((finding) => finding.ruleId === "NL-ELB-3").map((finding) => `${finding.ruleId} ${finding.suppressed?.reason}`),
    ).toEqual(["NL-ELB-3 reachable only through the office VPN"]);
  });

  it("refuses clientCa with clientAuthentication, and another deployment's client CAs", () => {
    expect(() => deploy({ clientCa: FIXTURE_CLIENT_CA, clientAuthentication: { mode: "off", reason: "reachable only through the office VPN" } })).toThrow(
      "nativelink/NativeLink: invalid prop 'clientCa': both clientCa and clientAuthentication are set. Fix: pass clientCa",
    );
    expect(() => deploy({ name: "ci-cache" })).toThrow(ClientCaError);
    expect(() => deploy({ name: "ci-cache" })).toThrow(
      "holds the client CAs of deployment nativelink, not ci-cache: publish this deployment's with `npx nativelink-aws certs publish --deployment ci-cache",
    );
  });
});

describe("the README", () => {
  const readme = readFileSync(fileURLToPath(new URL("../README.md", import.meta.url)), "utf8");
  /** The README's plain code blocks, with their lines joined as the message is one line. */
  const blocks = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].filter((match) => match[1] === "").map((match) => match[2]!.replace(/\n/g, " ").trim());

  it("quotes the pending inputs' messages exactly", () => {
    expect(blocks).toContain(missingLockMessage("images.lock.json"));
    expect(blocks).toContain(missingClientCaMessage("client-ca", "nativelink"));
  });
});
