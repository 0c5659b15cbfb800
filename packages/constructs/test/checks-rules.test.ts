import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group/index.js";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js";
import { EbsVolume } from "@cdktf/provider-aws/lib/ebs-volume/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function/index.js";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template/index.js";
import { Lb } from "@cdktf/provider-aws/lib/lb/index.js";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener/index.js";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy/index.js";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import { Subnet } from "@cdktf/provider-aws/lib/subnet/index.js";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js";
import type { TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { SecureBucket } from "../src/bucket.js";
import { dropInvalidHeaders } from "../src/checks/rules/drop-invalid-headers.js";
import { ebsEncrypted } from "../src/checks/rules/ebs-encrypted.js";
import { iamNoWildcards } from "../src/checks/rules/iam-no-wildcards.js";
import { imdsv2Required } from "../src/checks/rules/imdsv2-required.js";
import { lambdaLogRetention } from "../src/checks/rules/lambda-log-retention.js";
import { listenerTlsPolicy } from "../src/checks/rules/listener-tls-policy.js";
import { noOpenIngress } from "../src/checks/rules/no-open-ingress.js";
import { noPublicIp } from "../src/checks/rules/no-public-ip.js";
import { s3Encrypted } from "../src/checks/rules/s3-encrypted.js";
import { s3PublicAccessBlocked } from "../src/checks/rules/s3-public-access-blocked.js";
import { s3TlsOnly } from "../src/checks/rules/s3-tls-only.js";
import { problemsOf } from "./checks-helpers.js";

const template = (stack: TerraformStack, id: string, extra: Partial<ConstructorParameters<typeof LaunchTemplate>[2]> = {}) =>
  new LaunchTemplate(stack, id, {
    metadataOptions: { httpTokens: "required" },
    networkInterfaces: [{ associatePublicIpAddress: "false" }],
    blockDeviceMappings: [{ deviceName: "/dev/sda1", ebs: { encrypted: "true" } }],
    ...extra,
  });
const secureBucket = (stack: TerraformStack) =>
  new SecureBucket(stack, "Good", { bucketName: "good-bucket", preventDestroy: false, abortIncompleteUploadsAfterDays: 1, tags: {} });
const listener = (stack: TerraformStack, protocol: string, sslPolicy?: string) =>
  new LbListener(stack, "Listener", {
    loadBalancerArn: "arn:lb",
    protocol,
    port: 443,
    sslPolicy,
    certificateArn: "arn:cert",
    defaultAction: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }],
  });
const policy = (stack: TerraformStack, id: string, actions: string[], resources: string[], condition = false) =>
  new IamRolePolicy(stack, id, {
    role: "r",
    policy: new DataAwsIamPolicyDocument(stack, `${id}Doc`, {
      statement: [
        { actions, resources, condition: condition ? [{ test: "StringEquals", variable: "cloudwatch:namespace", values: ["NativeLink"] }] : undefined },
      ],
    }).json,
  });

describe("each rule has a compliant and a non-compliant case", () => {
  it("NL-EC2-1 IMDSv2 required", () => {
    expect(problemsOf(imdsv2Required, (s) => template(s, "ok"))).toEqual([]);
    expect(problemsOf(imdsv2Required, (s) => template(s, "v1", { metadataOptions: { httpTokens: "optional" } }))).toEqual([
      'aws_launch_template.v1: IMDSv2 is not required (metadata_options.http_tokens is not "required")',
    ]);
  });

  it("NL-EC2-2 no public IP", () => {
    expect(
      problemsOf(noPublicIp, (s) => {
        template(s, "ok");
        new Subnet(s, "private", { vpcId: "v", cidrBlock: "10.0.0.0/24" });
      }),
    ).toEqual([]);
    expect(
      problemsOf(noPublicIp, (s) => {
        template(s, "public", { networkInterfaces: [{ associatePublicIpAddress: "true" }] });
        new Subnet(s, "open", { vpcId: "v", cidrBlock: "10.0.1.0/24", mapPublicIpOnLaunch: true });
      }),
    ).toEqual([
      "aws_launch_template.public: a network interface may get a public IP (associate_public_ip_address is not false)",
      "aws_subnet.open: the subnet gives instances public IPs (map_public_ip_on_launch)",
    ]);
  });

  it("NL-SG-1 no world-open ingress except 443 on the load balancer", () => {
    expect(
      problemsOf(noOpenIngress, (s) => {
        const lbGroup = new SecurityGroup(s, "lb", { name: "lb" });
        new Lb(s, "alb", { securityGroups: [lbGroup.id], dropInvalidHeaderFields: true });
        new VpcSecurityGroupIngressRule(s, "https", { securityGroupId: lbGroup.id, cidrIpv4: "0.0.0.0/0", fromPort: 443, toPort: 443, ipProtocol: "tcp" });
      }),
    ).toEqual([]);
    expect(
      problemsOf(noOpenIngress, (s) => {
        const instances = new SecurityGroup(s, "instances", { name: "i", ingress: [{ fromPort: 22, toPort: 22, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }] });
        new VpcSecurityGroupIngressRule(s, "https", { securityGroupId: instances.id, cidrIpv6: "::/0", fromPort: 443, toPort: 443, ipProtocol: "tcp" });
      }),
    ).toEqual([
      "aws_security_group.instances: ingress from 0.0.0.0/0 on ports 22-22",
      "aws_vpc_security_group_ingress_rule.https: ingress from ::/0 on ports 443-443 of a group that is not a load balancer's",
    ]);
  });

  it("NL-S3-1 public access fully blocked", () => {
    expect(problemsOf(s3PublicAccessBlocked, secureBucket)).toEqual([]);
    expect(
      problemsOf(s3PublicAccessBlocked, (s) => {
        const bucket = new S3Bucket(s, "half", { bucket: "half" });
        new S3BucketPublicAccessBlock(s, "block", { bucket: bucket.id, blockPublicAcls: true, ignorePublicAcls: true });
        new S3Bucket(s, "none", { bucket: "none" });
      }),
    ).toEqual([
      "aws_s3_bucket.half: public access block leaves block_public_policy, restrict_public_buckets off",
      "aws_s3_bucket.none: no public access block",
    ]);
  });

  it("NL-S3-2 default encryption", () => {
    expect(problemsOf(s3Encrypted, secureBucket)).toEqual([]);
    expect(problemsOf(s3Encrypted, (s) => new S3Bucket(s, "plain", { bucket: "plain" }))).toEqual(["aws_s3_bucket.plain: no default encryption"]);
  });

  it("NL-S3-3 TLS-only bucket policy", () => {
    expect(problemsOf(s3TlsOnly, secureBucket)).toEqual([]);
    expect(
      problemsOf(s3TlsOnly, (s) => {
        const bucket = new S3Bucket(s, "open", { bucket: "open" });
        new S3BucketPolicy(s, "policy", {
          bucket: bucket.id,
          policy: JSON.stringify({
            Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::open/*" }],
          }),
        });
      }),
    ).toEqual(["aws_s3_bucket.open: no bucket policy denies requests without TLS"]);
  });

  it("NL-ELB-1 listener TLS policy from the allow-list", () => {
    expect(problemsOf(listenerTlsPolicy, (s) => listener(s, "HTTPS", "ELBSecurityPolicy-TLS13-1-2-2021-06"))).toEqual([]);
    expect(problemsOf(listenerTlsPolicy, (s) => listener(s, "HTTPS", "ELBSecurityPolicy-2016-08"))).toEqual([
      "aws_lb_listener.Listener: ssl_policy ELBSecurityPolicy-2016-08 is not on the allow-list",
    ]);
    expect(problemsOf(listenerTlsPolicy, (s) => listener(s, "HTTP"))).toEqual(["aws_lb_listener.Listener: the listener speaks HTTP without TLS"]);
  });

  it("NL-ELB-2 invalid headers dropped", () => {
    expect(problemsOf(dropInvalidHeaders, (s) => new Lb(s, "alb", { dropInvalidHeaderFields: true }))).toEqual([]);
    expect(problemsOf(dropInvalidHeaders, (s) => new Lb(s, "alb", {}))).toEqual(["aws_lb.alb: drop_invalid_header_fields is not true"]);
  });

  it("NL-EBS-1 encrypted EBS", () => {
    expect(
      problemsOf(ebsEncrypted, (s) => {
        template(s, "ok");
        new EbsVolume(s, "vol", { availabilityZone: "a", size: 1, encrypted: true });
      }),
    ).toEqual([]);
    expect(
      problemsOf(ebsEncrypted, (s) => {
        template(s, "clear", { blockDeviceMappings: [{ deviceName: "/dev/sda1", ebs: { volumeSize: 20 } }] });
        new EbsVolume(s, "vol", { availabilityZone: "a", size: 1 });
      }),
    ).toEqual(["aws_ebs_volume.vol: the volume is not encrypted", "aws_launch_template.clear: /dev/sda1 is not encrypted"]);
  });

  it("NL-LAMBDA-1 log group with retention", () => {
    const fn = (s: TerraformStack, name: string) =>
      new LambdaFunction(s, name, { functionName: name, role: "arn:role", runtime: "nodejs22.x", handler: "index.handler", filename: "f.zip" });
    expect(
      problemsOf(lambdaLogRetention, (s) => {
        fn(s, "kept");
        new CloudwatchLogGroup(s, "logs", { name: "/aws/lambda/kept", retentionInDays: 14 });
      }),
    ).toEqual([]);
    expect(
      problemsOf(lambdaLogRetention, (s) => {
        fn(s, "forever");
        new CloudwatchLogGroup(s, "logs", { name: "/aws/lambda/forever" });
        fn(s, "none");
      }),
    ).toEqual([
      "aws_lambda_function.forever: its log group keeps logs forever (no retention_in_days)",
      "aws_lambda_function.none: no log group is created for the function",
    ]);
  });

  it("NL-IAM-1 no wildcard actions; * resources only for unscopable reads", () => {
    expect(
      problemsOf(iamNoWildcards, (s) => {
        policy(s, "describe", ["autoscaling:DescribeAutoScalingGroups", "ec2:DescribeInstances"], ["*"]);
        policy(s, "metrics", ["cloudwatch:PutMetricData"], ["*"], true);
        policy(s, "scoped", ["s3:GetObject"], ["arn:aws:s3:::b/cas/*"]);
      }),
    ).toEqual([]);
    expect(
      problemsOf(iamNoWildcards, (s) => {
        policy(s, "admin", ["s3:*"], ["arn:aws:s3:::b/*"]);
        policy(s, "terminate", ["ec2:TerminateInstances"], ["*"]);
        policy(s, "metrics", ["cloudwatch:PutMetricData"], ["*"]);
      }),
    ).toEqual(
      [
        "data.aws_iam_policy_document.adminDoc: actions s3:* use a wildcard",
        'data.aws_iam_policy_document.terminateDoc: resource "*" is granted for ec2:TerminateInstances',
        'data.aws_iam_policy_document.metricsDoc: resource "*" is granted for cloudwatch:PutMetricData',
      ].sort(),
    );
  });

  it("ignores what a rule does not inspect", () => {
    expect(problemsOf(imdsv2Required, (s) => new AutoscalingGroup(s, "g", { minSize: 0, maxSize: 1 }))).toEqual([]);
  });
});
