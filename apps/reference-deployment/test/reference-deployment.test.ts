import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { ReferenceDeployment, type ReferenceDeploymentProps } from "../src/reference-deployment.js";

interface Synthesized {
  terraform: { backend: Record<string, Record<string, unknown>>; required_version: string };
  variable: Record<string, { default?: unknown; validation?: { condition: string; error_message: string }[] }>;
  provider: { aws: { region: string; default_tags: unknown[] }[] };
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output: Record<string, { value: string }>;
}

const appRoot = fileURLToPath(new URL("..", import.meta.url));
/** A valid lock with made-up digests (tools/fixtures); the app's own images.lock.json is never read by these tests. */
const FIXTURE_LOCK = join(appRoot, "../../tools/fixtures/images.lock.json");
const MISSING_LOCK = "missing/images.lock.json";
/** What the real `nativelink-aws certs publish` wrote (tools/README.md); the app's own client-ca/ is never read here. */
const FIXTURE_CLIENT_CA = join(appRoot, "../../tools/fixtures/client-ca");
const synthesize = (props: ReferenceDeploymentProps) => {
  const stack = new ReferenceDeployment(Testing.app(), "nativelink", { clientCaDirectory: FIXTURE_CLIENT_CA, ...props });
  return { stack, synth: JSON.parse(Testing.synth(stack)) as Synthesized };
};
const { stack: deployment, synth } = synthesize({ imagesLockFile: FIXTURE_LOCK });
const { stack: pendingDeployment, synth: pending } = synthesize({ imagesLockFile: MISSING_LOCK });

describe("reference deployment", () => {
  it("takes the original's variables; base_domain is required, like -var base_domain=…; no AMI variable in either image state", () => {
    for (const stack of [synth, pending]) {
      expect(Object.keys(stack.variable).sort()).toEqual(["base_domain", "cas_domain_prefix", "region", "scheduler_domain_prefix", "scheduler_instance_type"]);
    }
    expect(synth.variable.base_domain!.default).toBeUndefined();
    expect(synth.variable.cas_domain_prefix!.default).toBe("cas");
    expect(synth.variable.scheduler_domain_prefix!.default).toBe("scheduler");
    expect(synth.variable.scheduler_instance_type!.default).toBe("c6g.xlarge");
  });

  it("bakes both images from the lock file and boots every fleet from them", () => {
    expect(Object.keys(synth.resource.aws_imagebuilder_image!)).toHaveLength(2);
    const imageIds = Object.values(synth.resource.aws_launch_template!).map((template) => String(template.image_id));
    for (const imageId of imageIds) expect(imageId).toMatch(/aws_imagebuilder_image\.Images_Bake_/);
    const infrastructure = Object.values(synth.resource.aws_imagebuilder_infrastructure_configuration!)[0]!;
    expect(infrastructure.subnet_id).toMatch(/aws_subnet\.Network_ImageBuilder_/);
    expect(deployment.deployment.checks!.findings.filter((finding) => !finding.suppressed)).toEqual([]);
  });

  it("without the lock file, synthesizes a guard that stops terraform plan, and warns with the exact command", () => {
    expect(pending.resource.aws_imagebuilder_image).toBeUndefined();
    const [guard] = Object.values(pending.resource.terraform_data!);
    const message = (guard!.lifecycle as { precondition: { error_message: string }[] }).precondition[0]!.error_message;
    expect(message).toContain(`run \`npx nativelink-aws images lock --out ${MISSING_LOCK}\``);
    expect(message).toContain("then synthesize again");
    for (const template of Object.values(pending.resource.aws_launch_template!)) expect(template.image_id).toMatch(/^\$\{terraform_data\.ImagesPending_Guard_/);
    const findings = pendingDeployment.deployment.checks!.findings.filter((finding) => !finding.suppressed);
    expect(new Set(findings.map((finding) => `${finding.severity} ${finding.ruleId}`))).toEqual(new Set(["warning NL-AMI-2"]));
    expect(findings[0]!.message).toContain(message);
  });

  it("without the client CA directory, still verifies client certificates, its trust stores behind a guard that says what to run", () => {
    const { stack, synth: fresh } = synthesize({ imagesLockFile: FIXTURE_LOCK, clientCaDirectory: "missing/client-ca" });
    const message = stack.deployment.pendingClientCa!.message;
    expect(message).toContain("run `npx nativelink-aws certs init --deployment nativelink` if this deployment has no client CAs yet");
    expect(message).toContain("then `npx nativelink-aws certs publish --deployment nativelink --out missing/client-ca`");
    for (const listener of Object.values(fresh.resource.aws_lb_listener!)) expect(listener.mutual_authentication).toMatchObject({ mode: "verify" });
    for (const store of Object.values(fresh.resource.aws_lb_trust_store!))
      expect(store.ca_certificates_bundle_s3_key).toMatch(/^\$\{terraform_data\.ClientCaPending_Guard_/);
    expect(
      new Set(stack.deployment.checks!.findings.filter((finding) => !finding.suppressed).map((finding) => `${finding.severity} ${finding.ruleId}`)),
    ).toEqual(new Set(["warning NL-ELB-4"]));
  });

  it("keeps its state in the app folder by a relative path, and writes no absolute path anywhere", () => {
    for (const stack of [synth, pending]) {
      expect(stack.terraform.backend).toEqual({ local: { path: "../../../terraform.nativelink.tfstate" } });
      expect(stack.terraform.required_version).toBe(">= 1.5.0");
      expect(JSON.stringify(stack)).not.toContain(appRoot);
      expect(JSON.stringify(stack)).not.toMatch(/"\/(work|home|tmp|Users)\//);
    }
  });

  it("never changes mode because an environment variable is set or missing", () => {
    const variables = ["NATIVELINK_VERSION", "NATIVELINK_SHA256_X86_64", "NATIVELINK_SHA256_ARM64", "OTELCOL_SHA256_X86_64", "OTELCOL_SHA256_ARM64"];
    const saved = Object.fromEntries(variables.map((name) => [name, process.env[name]]));
    try {
      for (const name of variables) process.env[name] = name === "NATIVELINK_VERSION" ? "1.6.6" : "ab".repeat(32);
      const withEnvironment = [FIXTURE_LOCK, MISSING_LOCK].map((imagesLockFile) =>
        Testing.synth(new ReferenceDeployment(Testing.app(), "nativelink", { imagesLockFile })),
      );
      for (const name of variables) delete process.env[name];
      const without = [FIXTURE_LOCK, MISSING_LOCK].map((imagesLockFile) =>
        Testing.synth(new ReferenceDeployment(Testing.app(), "nativelink", { imagesLockFile })),
      );
      expect(withEnvironment).toEqual(without);
    } finally {
      for (const [name, value] of Object.entries(saved))
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
    }
  });

  it("protects the buckets unless preventBucketDestroy is false", () => {
    const protectedBuckets = (stack: Synthesized) =>
      Object.values(stack.resource.aws_s3_bucket!).map((bucket) => (bucket.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy);
    expect(protectedBuckets(synth)).toEqual([true, true]);
    expect(protectedBuckets(synthesize({ imagesLockFile: FIXTURE_LOCK, preventBucketDestroy: false }).synth)).toEqual([false, false]);
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
    expect(synth.output.cas_endpoint!.value).toBe("grpcs://${var.cas_domain_prefix}.${var.base_domain}");
  });

  it("passes the NativeLink rule pack, security and completeness, with no finding but the builder subnet's suppressed one", () => {
    expect(deployment.deployment.checks!.findings.map((finding) => `${finding.ruleId} ${finding.suppressed ? "suppressed" : "open"}`)).toEqual([
      "NL-EC2-2 suppressed",
    ]);
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
    expect(rules).toEqual([
      expect.objectContaining({
        to_port: 9464,
        security_group_id: expect.stringMatching(/^\$\{aws_security_group\.Cluster_SecurityGroups_scheduler_[A-F0-9]+\.id\}$/),
        referenced_security_group_id: expect.stringMatching(/^\$\{aws_security_group\.Autoscaler_/),
      }),
    ]);
    const feed = Object.values(synth.resource.aws_lambda_function!).find((f) => f.function_name === "nativelink-autoscaler")!;
    expect((feed.environment as { variables: Record<string, string> }).variables.FEED_URL).toBe(
      "http://${var.scheduler_domain_prefix}.internal.${var.base_domain}:9464/metrics",
    );
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
    const longestAction = deployment.deployment.cluster.workerMaxActionTimeoutSeconds!;
    expect(longestAction).toBe(1200);
    for (const hook of hooks) {
      expect(hook.lifecycle_transition).toBe("autoscaling:EC2_INSTANCE_TERMINATING");
      expect(hook.heartbeat_timeout as number).toBeGreaterThanOrEqual(longestAction);
    }
  });

  // The app's own images.lock.json and client-ca/ are the user's: these two run only where there are none, as on a fresh clone.
  const appLock = existsSync(join(appRoot, "images.lock.json")) || existsSync(join(appRoot, "client-ca"));

  it.skipIf(appLock)(
    "npm run synth writes cdktf.out/stacks/nativelink/cdk.tf.json, pending without images.lock.json and client-ca/, and says what to run",
    () => {
      const outdir = join(appRoot, "cdktf.out");
      rmSync(outdir, { recursive: true, force: true });
      const run = spawnSync(process.execPath, ["dist/main.js"], { cwd: appRoot, encoding: "utf8" });
      expect(run.status).toBe(0);
      expect(run.stderr).toContain(
        "warning: nativelink/Default/ImagesPending: No images lock file at images.lock.json in the folder " +
          "synthesis runs in (the app's): there, run `npx nativelink-aws images lock --out images.lock.json`",
      );
      expect(run.stderr).toContain(
        "warning: nativelink/Default/ClientCaPending: No client CA directory at client-ca in the folder synthesis runs in (the app's): there, " +
          "run `npx nativelink-aws certs init --deployment nativelink` if this deployment has no client CAs yet",
      );
      const written = JSON.parse(readFileSync(join(outdir, "stacks/nativelink/cdk.tf.json"), "utf8")) as Synthesized;
      expect(Object.keys(written.output)).toContain("bazel_flags");
      expect(JSON.stringify(written)).not.toContain(appRoot);
    },
  );

  it.skipIf(appLock)("synthesized from another folder, looks for the app folder's lock file and names it from there", () => {
    const outdir = mkdtempSync(join(tmpdir(), "reference-"));
    const script = `import { App } from "cdktf";
      import { ReferenceDeployment } from ${JSON.stringify(join(appRoot, "dist/reference-deployment.js"))};
      const app = new App({ outdir: ${JSON.stringify(outdir)} });
      new ReferenceDeployment(app, "nativelink");
      app.synth();`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: join(appRoot, "../.."), encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const written = readFileSync(join(outdir, "stacks/nativelink/cdk.tf.json"), "utf8");
    expect(written).toContain("npx nativelink-aws images lock --out apps/reference-deployment/images.lock.json");
    expect(written).toContain("npx nativelink-aws certs publish --deployment nativelink --out apps/reference-deployment/client-ca");
  });
});

describe("the reference deployment with no security-related props", () => {
  // Only where its inputs are: the fixture images lock and the fixture client CA directory.
  const { stack, synth: json } = synthesize({ imagesLockFile: FIXTURE_LOCK });
  const pem = (file: string) => readFileSync(join(FIXTURE_CLIENT_CA, file), "utf8");
  const listeners = Object.entries(json.resource.aws_lb_listener!);
  const trustStores = json.resource.aws_lb_trust_store!;
  const bundleOf = (trustStoreArn: unknown) => {
    const [, storeId] = /^\$\{aws_lb_trust_store\.([^.]+)\.arn\}$/.exec(String(trustStoreArn)) ?? [];
    const key = String(trustStores[storeId!]!.ca_certificates_bundle_s3_key);
    return Object.entries(json.resource.aws_s3_object!).find(([id]) => key === `\${aws_s3_object.${id}.key}`)![1].content;
  };
  const mutual = (listener: Record<string, unknown>) => listener.mutual_authentication as { mode: string; trust_store_arn: string } | undefined;

  it("answers no client without a certificate: every listener verifies client certificates", () => {
    expect(listeners.map(([, listener]) => [listener.port, listener.protocol, mutual(listener)?.mode])).toEqual([
      [443, "HTTPS", "verify"],
      [8443, "HTTPS", "verify"],
    ]);
    expect(json.output.client_certificate_required!.value).toBe(true);
  });

  it("separates cache readers from writers: the writers' listener trusts only the CI CA and alone reaches the writable action cache", () => {
    const byPort = Object.fromEntries(listeners.map(([id, listener]) => [Number(listener.port), { id, listener }]));
    expect(bundleOf(mutual(byPort[443]!.listener)!.trust_store_arn)).toBe(pem("developers-ca.pem") + pem("ci-ca.pem"));
    expect(bundleOf(mutual(byPort[8443]!.listener)!.trust_store_arn)).toBe(pem("ci-ca.pem"));
    const groups = json.resource.aws_lb_target_group!;
    const portsBehind = (listenerId: string) =>
      Object.values(json.resource.aws_lb_listener_rule!)
        .filter((rule) => rule.listener_arn === `\${aws_lb_listener.${listenerId}.arn}`)
        .map(
          (rule) => groups[/aws_lb_target_group\.([^.]+)\.arn/.exec(String((rule.action as { target_group_arn: string }[])[0]!.target_group_arn))![1]!]!.port,
        );
    expect(portsBehind(byPort[443]!.id).sort()).toEqual([50051, 50052]);
    expect(portsBehind(byPort[8443]!.id)).toEqual([50071]);
  });

  it("opens nothing else to the world than those two listeners' ports", () => {
    const world = Object.values(json.resource.aws_vpc_security_group_ingress_rule!).filter((rule) =>
      ["0.0.0.0/0", "::/0"].includes(String(rule.cidr_ipv4 ?? rule.cidr_ipv6)),
    );
    expect([...new Set(world.map((rule) => rule.from_port))].sort()).toEqual([443, 8443]);
    for (const rule of world) expect(rule.to_port).toBe(rule.from_port);
  });

  it("has no finding of the rule pack but the builder subnet's suppressed one", () => {
    expect(stack.deployment.checks!.findings.map((finding) => `${finding.severity} ${finding.ruleId} ${finding.suppressed ? "suppressed" : "open"}`)).toEqual([
      "error NL-EC2-2 suppressed",
    ]);
  });
});
