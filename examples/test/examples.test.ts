// Every documented composition synthesizes a complete stack: no finding of the rule pack (security and completeness).
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { estimate, IDLE_USAGE, stackInventory } from "@nativelink-aws/cli";
import { roleEnvValue, userDataText } from "@nativelink-aws/constructs";
import { describe, expect, it } from "vitest";
import { amiBuilder } from "../ami-builder/main.js";
import { fromParts } from "../from-parts/main.js";
import { noClientCertificates } from "../no-client-certificates/main.js";
import { quickStart } from "../quick-start/main.js";
import { s3BackendStack } from "../s3-backend/main.js";
import { warmPool } from "../warm-pool/main.js";
import { all, FIXTURE_CLIENT_CA, FIXTURE_LOCK, synthesizeExample } from "./synthesize.js";

const examplesRoot = fileURLToPath(new URL("..", import.meta.url));
const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
const unsuppressed = (example: ReturnType<typeof synthesizeExample>) =>
  example.findings.filter((finding) => !finding.suppressed).map((finding) => `${finding.severity} ${finding.resource}: ${finding.message}`);

describe.each([
  ["quick-start", quickStart],
  ["from-parts", fromParts],
  ["ami-builder", amiBuilder],
  ["s3-backend", s3BackendStack],
  ["no-client-certificates", noClientCertificates],
  ["warm-pool", warmPool],
])("examples/%s", (name, build) => {
  const example = synthesizeExample(build);

  it("synthesizes with app.synth() and the rule pack finds nothing, neither error nor warning", () => {
    expect(unsuppressed(example)).toEqual([]);
  });

  it("has a writer for the scheduler host every worker dials, and the drain hook on every worker group", () => {
    const templates = all(example.json, "aws_launch_template");
    const hosts = new Set(templates.map((t) => roleEnvValue(userDataText(t.user_data), "NATIVELINK_SCHEDULER_HOST")).filter((host) => host !== undefined));
    expect(hosts.size).toBe(1);
    const writers = all(example.json, "aws_lambda_function").map((fn) => (fn.tags as Record<string, string>)["nativelink:dns-record-writer"]);
    expect(writers).toContain([...hosts][0]);
    const workerGroups = Object.keys(example.json.resource.aws_autoscaling_group!).filter((id) => id.includes("workers"));
    const hooked = all(example.json, "aws_autoscaling_lifecycle_hook").map((hook) => hook.autoscaling_group_name);
    expect(hooked.sort()).toEqual(workerGroups.map((id) => `\${aws_autoscaling_group.${id}.name}`).sort());
  });

  it.skipIf(name === "no-client-certificates")("verifies client certificates on both listeners, the writers' trusting the CI CA only", () => {
    const listeners = all(example.json, "aws_lb_listener");
    expect(listeners.map((listener) => [listener.port, (listener.mutual_authentication as { mode: string }).mode])).toEqual([
      [443, "verify"],
      [8443, "verify"],
    ]);
    const ciCa = readFileSync(join(FIXTURE_CLIENT_CA, "ci-ca.pem"), "utf8");
    expect(
      all(example.json, "aws_s3_object")
        .filter((object) => String(object.key).startsWith("trust-store/writers/ca-bundle-"))
        .map((object) => object.content),
    ).toEqual([ciCa]);
  });

  it("writes no absolute path of the machine that synthesized it", () => {
    const text = JSON.stringify(example.json);
    const absolute = [example.dir, examplesRoot, repositoryRoot].flatMap((path) =>
      text.includes(path) ? [text.slice(text.indexOf(path) - 60, text.indexOf(path) + 60)] : [],
    );
    expect(absolute).toEqual([]);
    // Nor any other home, work or temporary folder (a Lambda asset of packages/…, node_modules/…).
    expect(text).not.toMatch(/"\/(work|home|tmp|Users)\//);
  });
});

describe("examples/quick-start", () => {
  const example = synthesizeExample(quickStart);

  it("keeps its state in the app folder, by a relative path", () => {
    expect(example.json.terraform.backend).toEqual({ local: { path: "../../../terraform.nativelink.tfstate" } });
  });

  it("bakes both images from images.lock.json and asks only for base_domain", () => {
    expect(all(example.json, "aws_imagebuilder_image")).toHaveLength(2);
    expect(Object.keys(example.json.variable ?? {})).toEqual(["base_domain"]);
  });

  it("without client-ca/ still synthesizes, with the client CAs pending and the commands to run", () => {
    const pending = synthesizeExample(quickStart, { withClientCa: false });
    const findings = pending.findings.filter((finding) => !finding.suppressed);
    expect(new Set(findings.map((finding) => `${finding.severity} ${finding.ruleId}`))).toEqual(new Set(["warning NL-ELB-4"]));
    expect(findings[0]!.message).toContain("run `npx nativelink-aws certs init --deployment nativelink` if this deployment has no client CAs yet");
    expect(findings[0]!.message).toContain("then `npx nativelink-aws certs publish --deployment nativelink --out client-ca`");
  });

  it("without images.lock.json still synthesizes, with the images pending and the command to run", () => {
    const pending = synthesizeExample(quickStart, { withLock: false });
    const findings = pending.findings.filter((finding) => !finding.suppressed);
    expect(new Set(findings.map((finding) => `${finding.severity} ${finding.ruleId}`))).toEqual(new Set(["warning NL-AMI-2"]));
    expect(findings[0]!.message).toContain("run `npx nativelink-aws images lock --out images.lock.json`");
    const [guard] = all(pending.json, "terraform_data");
    expect(JSON.stringify(guard)).toContain("then synthesize again");
    expect(pending.json.variable).toEqual({ base_domain: expect.anything() });
  });
});

describe("examples/no-client-certificates", () => {
  const example = synthesizeExample(noClientCertificates, { withClientCa: false });
  const reason = "only the office's egress addresses reach it, and every machine there is managed";

  it("verifies no client certificate, builds no trust store, has no writers' listener, and lets only clientCidrs reach the readers' one", () => {
    expect(all(example.json, "aws_lb_listener").map((listener) => [listener.port, listener.mutual_authentication])).toEqual([[443, undefined]]);
    expect(example.json.resource.aws_lb_trust_store).toBeUndefined();
    const ingress = all(example.json, "aws_vpc_security_group_ingress_rule").filter((rule) => String(rule.security_group_id).includes("SecurityGroups_alb"));
    expect(ingress.map((rule) => `${String(rule.cidr_ipv4)}:${String(rule.from_port)}`).sort()).toEqual(["203.0.113.0/24:443"]);
    expect((example.json as { output?: Record<string, unknown> }).output).not.toHaveProperty("cas_writers_endpoint");
  });

  it("records the reason as NL-ELB-3's suppression on its listener, and needs no client-ca/", () => {
    expect(
      example.findings
        .map((finding) => `${finding.ruleId} ${finding.resource.split(".")[0]} ${finding.suppressed?.reason}`)
        .filter((line) => line.startsWith("NL-ELB-3")),
    ).toEqual([`NL-ELB-3 aws_lb_listener ${reason}`]);
    for (const listener of all(example.json, "aws_lb_listener"))
      expect((listener["//"] as Record<string, unknown>).nativelink_checks_suppressed).toEqual([{ id: "NL-ELB-3", reason }]);
  });
});

describe("examples/warm-pool", () => {
  const example = synthesizeExample(warmPool);
  const groups = Object.fromEntries(all(example.json, "aws_autoscaling_group").map((group) => [String(group.name), group]));

  it("keeps four stopped x86_64 workers in a warm pool under the launch hook their role file names; arm64 stays on Spot", () => {
    const x86 = groups["nativelink-workers-x86_64"]!;
    expect(x86.warm_pool).toMatchObject({ pool_state: "Stopped", min_size: 4, max_group_prepared_capacity: 5 });
    expect(x86.initial_lifecycle_hook).toEqual([
      expect.objectContaining({ name: "nativelink-launch", lifecycle_transition: "autoscaling:EC2_INSTANCE_LAUNCHING" }),
    ]);
    const template = all(example.json, "aws_launch_template").find((candidate) => candidate.name === "nativelink-workers-x86_64")!;
    expect(roleEnvValue(userDataText(template.user_data), "NATIVELINK_LAUNCH_HOOK")).toBe("nativelink-launch");
    expect(groups["nativelink-workers-arm64"]!.warm_pool).toBeUndefined();
  });

  it("returns scaled-in x86_64 workers to the pool through the drain hook the deployment creates", () => {
    expect(groups["nativelink-workers-x86_64"]!.warm_pool).toMatchObject({ instance_reuse_policy: { reuse_on_scale_in: true } });
    const template = all(example.json, "aws_launch_template").find((candidate) => candidate.name === "nativelink-workers-x86_64")!;
    expect(roleEnvValue(userDataText(template.user_data), "NATIVELINK_LIFECYCLE_HOOK")).toBe("nativelink-drain");
    const drainHooks = all(example.json, "aws_autoscaling_lifecycle_hook").filter((hook) => hook.name === "nativelink-drain");
    expect(drainHooks.map((hook) => hook.lifecycle_transition)).toContain("autoscaling:EC2_INSTANCE_TERMINATING");
  });

  it("is priced by `nativelink-aws cost`: the pool's root volumes at idle, its refill launches under usage", () => {
    const inventory = stackInventory(example.json, "warm pool");
    expect(inventory.fleets.find((fleet) => fleet.name === "workers-x86_64")).toMatchObject({
      purchase: "on-demand",
      instanceTypes: [{ instanceType: "m6id.large", weight: 2 }],
      minCapacity: 2,
      warmPoolInstances: 4,
    });
    const lines = (usage: Parameters<typeof estimate>[1]) => Object.fromEntries(estimate(inventory, usage).lines.map((line) => [line.item, line.monthly]));
    expect(lines(IDLE_USAGE)).toMatchObject({
      "workers-x86_64: 1 × m6id.large on-demand": 86.65, // 0.1187 × 730
      "workers-x86_64: warm pool, 4 stopped × 20 GiB gp3 root": 6.4, // 4 × 20 × 0.08
    });
    expect(lines({ ...IDLE_USAGE, warmPoolRefillsPerMonth: 300 })).toMatchObject({
      "workers-x86_64: 300 warm pool refills (3 min each)": 1.78, // 300 × 3 / 60 × 0.1187
    });
  });
});

describe("examples/from-parts", () => {
  const example = synthesizeExample(fromParts);

  it("boots existing AMIs from variables, with one worker fleet, in a VPC the cluster creates", () => {
    expect(Object.keys(example.json.variable ?? {}).sort()).toEqual(["ami_id_arm64", "ami_id_x86_64"]);
    expect(example.json.resource.aws_imagebuilder_image).toBeUndefined();
    expect(
      all(example.json, "aws_autoscaling_group")
        .map((group) => group.name)
        .sort(),
    ).toEqual(["nativelink-cas", "nativelink-scheduler", "nativelink-workers-x86_64"]);
    expect(all(example.json, "aws_vpc")).toHaveLength(1);
  });
});

describe("examples/ami-builder", () => {
  const example = synthesizeExample(amiBuilder);

  it("bakes in the network's image-builder subnet of the cluster's one VPC", () => {
    expect(all(example.json, "aws_vpc")).toHaveLength(1);
    const builderSubnetId = Object.entries(example.json.resource.aws_subnet!).find(([, subnet]) => subnet.map_public_ip_on_launch === true)![0];
    for (const configuration of all(example.json, "aws_imagebuilder_infrastructure_configuration"))
      expect(configuration.subnet_id).toBe(`\${aws_subnet.${builderSubnetId}.id}`);
    for (const template of all(example.json, "aws_launch_template")) expect(template.image_id).toMatch(/aws_imagebuilder_image\.Images_Bake_/);
  });
});

describe("examples/s3-backend", () => {
  it("keeps the state in S3 with use_lockfile, which cdktf 0.21's S3Backend takes as an override, and requires Terraform 1.10 for it", () => {
    const terraform = synthesizeExample(s3BackendStack).json.terraform as { backend: unknown; required_version?: string };
    expect(terraform.backend).toEqual({
      s3: { bucket: "my-terraform-state", key: "nativelink/terraform.tfstate", encrypt: true, use_lockfile: true },
    });
    expect(terraform.required_version).toBe(">= 1.10.0");
  });
});

describe("each example's main", () => {
  const built = existsSync(join(examplesRoot, "dist/quick-start/main.js"));
  it.skipIf(!built)("synthesizes into cdktf.out/ when run with node, in its app folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "example-main-"));
    copyFileSync(FIXTURE_LOCK, join(dir, "images.lock.json"));
    cpSync(FIXTURE_CLIENT_CA, join(dir, "client-ca"), { recursive: true });
    execFileSync(process.execPath, [join(examplesRoot, "dist/quick-start/main.js")], { cwd: dir, stdio: "pipe" });
    const json = JSON.parse(readFileSync(join(dir, "cdktf.out/stacks/nativelink/cdk.tf.json"), "utf8")) as { output: Record<string, unknown> };
    expect(json.output).toHaveProperty("bazel_flags");
  });
});
