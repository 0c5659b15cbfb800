import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { DEFAULT_BASE_IMAGE_SSM_PARAMETERS } from "../src/props.js";
import { NativeLinkImage } from "../src/native-link-image.js";
import { BAKE_PROPS } from "./helpers/bake.js";
import { byName, synthImage } from "./helpers/synth.js";

describe("NativeLinkImage: the bake (EC2 Image Builder)", () => {
  const synthesized = synthImage(BAKE_PROPS);
  const recipes = byName(synthesized, "aws_imagebuilder_image_recipe");
  const components = byName(synthesized, "aws_imagebuilder_component");
  const configurations = byName(synthesized, "aws_imagebuilder_infrastructure_configuration");
  const images = Object.values(synthesized.resource.aws_imagebuilder_image ?? {});

  it("bakes one image per architecture from Ubuntu LTS found through AWS's public SSM parameters", () => {
    expect(Object.keys(recipes).sort()).toEqual(["nativelink-nativelink-arm64", "nativelink-nativelink-x86_64"]);
    expect(recipes["nativelink-nativelink-x86_64"]?.parent_image).toBe(`ssm:${DEFAULT_BASE_IMAGE_SSM_PARAMETERS.x86_64}`);
    expect(recipes["nativelink-nativelink-arm64"]?.parent_image).toBe("ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id");
    expect(images).toHaveLength(2);
  });

  it("runs the components in order: NativeLink, bootstrap, units, warm pool, actions, AWS CLI, drain watcher and its unit, collector, CloudWatch agent", () => {
    const arns = (recipes["nativelink-nativelink-arm64"]?.component as { component_arn: string }[]).map((entry) => entry.component_arn);
    const ids = arns.map((arn) => /aws_imagebuilder_component\.(\S+?)\.arn/.exec(arn)?.[1]);
    const names = ids.map((id) => (synthesized.resource.aws_imagebuilder_component?.[id ?? ""] as { name: string }).name);
    expect(names).toEqual([
      "nativelink-nativelink-arm64",
      "nativelink-nativelink-bootstrap",
      "nativelink-nativelink-units",
      "nativelink-nativelink-warm-pool",
      "nativelink-nativelink-actions",
      "nativelink-aws-cli-arm64",
      "nativelink-nativelink-drain",
      "nativelink-nativelink-drain-unit",
      "nativelink-otelcol-arm64",
      "nativelink-cloudwatch-agent-arm64",
    ]);
    expect(Object.keys(components)).toHaveLength(14);
    for (const component of Object.values(components)) {
      expect(component).toMatchObject({ platform: "Linux", version: expect.stringMatching(/^1\.\d+\.\d+$/), lifecycle: { create_before_destroy: true } });
      expect(typeof component.data).toBe("string");
    }
  });

  it("gives the recipes an encrypted gp3 root volume, content versions and AMI tags", () => {
    const recipe = recipes["nativelink-nativelink-x86_64"];
    expect(recipe?.block_device_mapping).toEqual([
      { device_name: "/dev/sda1", ebs: { volume_size: 16, volume_type: "gp3", encrypted: "true", delete_on_termination: "true" } },
    ]);
    expect(recipe?.version).toMatch(/^1\.\d+\.\d+$/);
    expect(recipe?.lifecycle).toEqual({ create_before_destroy: true });
    expect(recipe?.ami_tags).toMatchObject({
      Name: "nativelink-nativelink-x86_64",
      "nativelink:deployment": "nativelink",
      "nativelink:architecture": "x86_64",
      "nativelink:version": "1.6.6",
      "nativelink:content-hash": expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it("runs the builders in the given subnet with IMDSv2, no key pair, terminated on failure by default", () => {
    expect(Object.keys(configurations).sort()).toEqual(["nativelink-nativelink-arm64", "nativelink-nativelink-x86_64"]);
    const x86 = configurations["nativelink-nativelink-x86_64"];
    expect(x86).toMatchObject({
      subnet_id: "subnet-0123456789abcdef0",
      instance_types: ["m6i.large", "m5.large"],
      terminate_instance_on_failure: true,
      instance_metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 },
      instance_profile_name: expect.stringMatching(/^\$\{aws_iam_instance_profile\.\S+\.name\}$/),
      security_group_ids: [expect.stringMatching(/^\$\{aws_security_group\.\S+\.id\}$/)],
    });
    expect(x86).not.toHaveProperty("key_pair");
    expect(configurations["nativelink-nativelink-arm64"]?.instance_types).toEqual(["m7g.large", "m6g.large"]);
  });

  it("publishes each image only after its test phase, and replaces it before destroying the old one", () => {
    for (const image of images) {
      expect(image).toMatchObject({
        image_recipe_arn: expect.stringMatching(/^\$\{aws_imagebuilder_image_recipe\.\S+\.arn\}$/),
        infrastructure_configuration_arn: expect.stringMatching(/^\$\{aws_imagebuilder_infrastructure_configuration\.\S+\.arn\}$/),
        image_tests_configuration: { image_tests_enabled: true, timeout_minutes: 60 },
        lifecycle: { create_before_destroy: true },
      });
    }
  });

  it("gives the builder role only the SSM core and Image Builder managed policies", () => {
    const [role] = Object.values(synthesized.resource.aws_iam_role ?? {});
    expect(role?.name).toBe("nativelink-image-builder");
    const trust = JSON.parse(String(role?.assume_role_policy)) as { Statement: { Principal: { Service: string }; Action: string }[] };
    expect(trust.Statement).toEqual([
      { Effect: "Allow", Principal: { Service: expect.stringMatching(/^ec2\.\$\{data\.aws_partition\.\S+\.dns_suffix\}$/) }, Action: "sts:AssumeRole" },
    ]);
    const policies = Object.values(synthesized.resource.aws_iam_role_policy_attachment ?? {}).map((attachment) => String(attachment.policy_arn));
    expect(policies.map((arn) => arn.replace(/^arn:\$\{data\.aws_partition\.\S+\.partition\}:/, "arn:PARTITION:"))).toEqual([
      "arn:PARTITION:iam::aws:policy/AmazonSSMManagedInstanceCore",
      "arn:PARTITION:iam::aws:policy/EC2InstanceProfileForImageBuilder",
    ]);
    for (const type of ["aws_iam_role_policy", "aws_iam_policy", "aws_iam_user", "aws_key_pair"]) expect(synthesized.resource[type]).toBeUndefined();
  });

  it("gives the builders a security group with no ingress and egress to web ports only", () => {
    const [group] = Object.values(synthesized.resource.aws_security_group ?? {});
    expect(group).toMatchObject({ name: "nativelink-image-builder", vpc_id: "vpc-0123456789abcdef0" });
    expect(group).not.toHaveProperty("ingress");
    expect(synthesized.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
    const egress = Object.values(synthesized.resource.aws_vpc_security_group_egress_rule ?? {});
    expect(egress.map((rule) => [rule.ip_protocol, rule.from_port, rule.to_port, rule.cidr_ipv4])).toEqual([
      ["tcp", 443, 443, "0.0.0.0/0"],
      ["tcp", 80, 80, "0.0.0.0/0"],
    ]);
  });

  it("exposes the AMI ids as tokens of the images' output resources", () => {
    // cdktf reads the first AMI of the first output resource (a set, hence tolist).
    expect(synthesized.output.ami_id_x86_64?.value).toMatch(/^\$\{tolist\(aws_imagebuilder_image\.\S+x86_64\S*\.output_resources\[0\]\.amis\)\.0\.image\}$/);
    expect(synthesized.output.ami_id_arm64?.value).toMatch(/^\$\{tolist\(aws_imagebuilder_image\.\S+arm64\S*\.output_resources\[0\]\.amis\)\.0\.image\}$/);
  });

  it("uses no SSH, no local-exec, no hard-coded account, region or AMI id", () => {
    expect(synthesized.text).not.toMatch(/provisioner|local-exec|remote-exec|null_resource|key_name|key_pair/);
    expect(synthesized.text).not.toMatch(/\b\d{12}\b/);
    expect(synthesized.text).not.toMatch(/\bami-[0-9a-f]{8,}/);
    expect(synthesized.text).not.toMatch(/\b(us|eu|ap|sa|ca|me|af)-(east|west|north|south|central|northeast|southeast)-\d\b/);
  });

  it("derives every physical name from the deployment name", () => {
    const other = synthImage({ ...BAKE_PROPS, name: "ci-cache" });
    const names = [
      "aws_imagebuilder_component",
      "aws_imagebuilder_image_recipe",
      "aws_imagebuilder_infrastructure_configuration",
      "aws_iam_role",
      "aws_iam_instance_profile",
      "aws_security_group",
    ].flatMap((type) => Object.keys(byName(other, type)));
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) expect(name).toMatch(/^ci-cache-/);
    expect(other.text).not.toMatch(/"(name|Name)": "nativelink-/);
  });
});

describe("NativeLinkImage: existing AMIs", () => {
  const amiIds = { x86_64: "ami-0123456789abcdef0", arm64: "ami-0fedcba9876543210" };

  it("creates no resource and passes the ids through", () => {
    const synthesized = synthImage({ existingAmiIds: amiIds });
    expect(synthesized.resource).toEqual({});
    expect(synthesized.output.ami_id_x86_64?.value).toBe(amiIds.x86_64);
    expect(synthesized.output.ami_id_arm64?.value).toBe(amiIds.arm64);
  });

  it("fromAmiIds does the same, and says how the AMIs were baked", () => {
    Testing.synthScope((scope) => {
      const image = NativeLinkImage.fromAmiIds(scope, "Image", amiIds, "ci");
      expect(image.amiIds).toEqual(amiIds);
      expect(image.bake).toBeUndefined();
      expect(image.name).toBe("ci");
      expect(image.metricsPort).toBe(9464);
      expect(image.logGroupName).toBeUndefined();
    });
  });

  it("describes a bake: metrics port and log group", () => {
    Testing.synthScope((scope) => {
      const image = new NativeLinkImage(scope, "Image", { ...BAKE_PROPS, metricsPort: 9500 });
      expect(image.metricsPort).toBe(9500);
      expect(image.logGroupName).toBe("/nativelink/nativelink");
      expect(image.bake?.contentHashes.x86_64).toMatch(/^[0-9a-f]{64}$/);
      const withoutLogs = new NativeLinkImage(scope, "NoLogs", { ...BAKE_PROPS, name: "ci", cloudWatchLogs: false });
      expect(withoutLogs.logGroupName).toBeUndefined();
      expect(withoutLogs.bake?.components.map((component) => component.name)).not.toContain("ci-cloudwatch-agent-x86_64");
    });
  });
});
