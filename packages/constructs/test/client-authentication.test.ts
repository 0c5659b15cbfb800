// Client authentication is required: two listeners verifying client certificates, each with its own trust store, or an
// explicit opt-out with a reason.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { NativeLinkPropError } from "../src/errors.js";
import { NativeLinkLoadBalancer } from "../src/load-balancer.js";
import { clientCertificatesVerified } from "../src/checks/rules/client-certificates-verified.js";
import { COMPLETENESS_RULES, NATIVELINK_RULES } from "../src/checks/rule-pack.js";
import { findingsOf } from "./checks-helpers.js";
import { clusterStack, FIXTURE_CLIENT_CA, resources, synthCluster, TEST_CLIENT_AUTHENTICATION, type Synthesized } from "./synth-helpers.js";

const fixture = (file: string) => readFileSync(join(FIXTURE_CLIENT_CA, file), "utf8");
type Listener = Record<string, unknown> & { id: string; "//"?: Record<string, unknown> };
const listeners = (synth: Synthesized): Record<number, Listener> =>
  Object.fromEntries(Object.entries(resources(synth, "aws_lb_listener")).map(([id, listener]) => [listener.port as number, { ...listener, id }]));
/** The stack's Terraform JSON with its `//` metadata, which Testing.synth leaves out. */
const withMetadata = (stack: TerraformStack) => JSON.parse(JSON.stringify(stack.toTerraform())) as Synthesized;
const ref = (type: string, id: string, attribute = "arn") => `\${${type}.${id}.${attribute}}`;
const idOf = (synth: Synthesized, type: string, match: (resource: Record<string, unknown>) => boolean) =>
  Object.entries(resources(synth, type)).find(([, r]) => match(r))![0];
const OFF = { mode: "off", reason: "reachable only through the office VPN (10.8.0.0/16)" } as const;

describe("client authentication is required", () => {
  it("refuses a cluster without it, naming both ways: published client CAs, or opting out with a reason", () => {
    const attempt = () => synthCluster({ clientAuthentication: undefined });
    expect(attempt).toThrow(NativeLinkPropError);
    expect(attempt).toThrow("test/Cluster: invalid prop 'clientAuthentication': it is not set, and the endpoints run whatever their clients send.");
    expect(attempt).toThrow("`npx nativelink-aws certs publish --deployment <name> --out client-ca`");
    expect(attempt).toThrow(
      'const clientCa = readClientCaDirectory("client-ca") (@nativelink-aws/constructs) and pass clientAuthentication: ' +
        '{ mode: "verify", readers: clientCa.readers, writers: clientCa.writers }',
    );
    expect(attempt).toThrow('or opt out explicitly with clientAuthentication: { mode: "off", reason: "…" }');
  });

  it.each([
    [{ mode: "on" }, /invalid prop 'clientAuthentication.mode': "on" is neither "verify" nor "off"/],
    [{ mode: "off" }, /invalid prop 'clientAuthentication.reason': mode "off" needs a written reason of at least 10 characters/],
    [{ mode: "off", reason: "because" }, /clientAuthentication.reason/],
  ])("refuses %j", (clientAuthentication, message) => {
    expect(() => synthCluster({ clientAuthentication: clientAuthentication as never })).toThrow(message);
  });
});

describe("verify mode, from the directory certs publish writes", () => {
  const synth = synthCluster();
  const byPort = listeners(synth);
  const store = (name: string) => idOf(synth, "aws_lb_trust_store", (s) => s.name === name);
  const objects = Object.entries(resources(synth, "aws_s3_object"));

  it("verifies client certificates on both listeners, readers on 443 and writers on 8443, each against its own trust store", () => {
    expect(Object.keys(byPort)).toEqual(["443", "8443"]);
    expect(byPort[443]!.mutual_authentication).toEqual({
      mode: "verify",
      trust_store_arn: ref("aws_lb_trust_store", store("nativelink-readers")),
      ignore_client_certificate_expiry: false,
    });
    expect(byPort[8443]!.mutual_authentication).toEqual({
      mode: "verify",
      trust_store_arn: ref("aws_lb_trust_store", store("nativelink-writers")),
      ignore_client_certificate_expiry: false,
    });
    for (const listener of Object.values(byPort)) expect(listener).toMatchObject({ protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
  });

  it("lets the readers' trust store hold the developers' and the CI CA, and the writers' the CI CA only", () => {
    const bundle = (name: string) => {
      const trustStore = resources(synth, "aws_lb_trust_store")[store(name)]!;
      const [objectId, object] = objects.find(([id]) => trustStore.ca_certificates_bundle_s3_key === ref("aws_s3_object", id, "key"))!;
      expect(trustStore.ca_certificates_bundle_s3_bucket).toBe(ref("aws_s3_object", objectId, "bucket"));
      return object.content;
    };
    expect(bundle("nativelink-readers")).toBe(fixture("developers-ca.pem") + fixture("ci-ca.pem"));
    expect(bundle("nativelink-writers")).toBe(fixture("ci-ca.pem"));
  });

  it("adds each trusted CA's revocation list to its trust store, the new before the old goes", () => {
    const revocations = (name: string) =>
      Object.values(resources(synth, "aws_lb_trust_store_revocation"))
        .filter((revocation) => revocation.trust_store_arn === ref("aws_lb_trust_store", store(name)))
        .map((revocation) => {
          expect(revocation.lifecycle).toEqual({ create_before_destroy: true });
          return objects.find(([id]) => revocation.revocations_s3_key === ref("aws_s3_object", id, "key"))![1].content;
        });
    expect(revocations("nativelink-readers")).toEqual([fixture("developers.crl.pem"), fixture("ci.crl.pem")]);
    expect(revocations("nativelink-writers")).toEqual([fixture("ci.crl.pem")]);
  });

  it("stores every PEM in the access-log bucket under a key that changes with its content", () => {
    for (const [, object] of objects) {
      expect(object).toMatchObject({
        bucket: expect.stringContaining("aws_s3_bucket.Cluster_Storage_AccessLogs_Bucket"),
        content_type: "application/x-pem-file",
      });
      expect(object.key).toMatch(/^trust-store\/(readers|writers)\/(ca-bundle|crl-\d)-[0-9a-f]{16}\.pem$/);
      expect(object.lifecycle).toEqual({ create_before_destroy: true });
    }
    const keys = (s: Synthesized) =>
      Object.values(resources(s, "aws_s3_object"))
        .map((object) => object.key)
        .sort();
    expect(keys(synthCluster())).toEqual(keys(synth));
    // A new CI revocation list (here: another CRL's text) gets new keys, so terraform apply replaces the revocations.
    const revoked = synthCluster({
      clientAuthentication: {
        ...TEST_CLIENT_AUTHENTICATION,
        writers: { ...TEST_CLIENT_AUTHENTICATION.writers, revocationListsPem: [fixture("developers.crl.pem")] },
      },
    });
    expect(keys(revoked).filter((key) => !keys(synth).includes(key as string))).toEqual([expect.stringMatching(/^trust-store\/writers\/crl-0-/)]);
  });

  it("routes cas. on the writers' listener to the CAS fleet's writers' port 50071, health-checked like the others", () => {
    const rules = Object.values(resources(synth, "aws_lb_listener_rule"));
    const writersRules = rules.filter((rule) => rule.listener_arn === ref("aws_lb_listener", byPort[8443]!.id));
    expect(writersRules).toEqual([expect.objectContaining({ condition: [{ host_header: { values: ["cas.build.example.com"] } }] })]);
    const targetId = /aws_lb_target_group\.([^.]+)\.arn/.exec(String((writersRules[0]!.action as { target_group_arn: string }[])[0]!.target_group_arn))![1]!;
    expect(resources(synth, "aws_lb_target_group")[targetId]).toMatchObject({
      name: "nativelink-cas-writers",
      port: 50071,
      protocol: "HTTP",
      protocol_version: "GRPC",
      health_check: { enabled: true, protocol: "HTTP", path: "/build.bazel.remote.execution.v2.Capabilities/GetCapabilities", matcher: "0" },
    });
    const casGroup = Object.values(resources(synth, "aws_autoscaling_group")).find((group) => group.name === "nativelink-cas")!;
    expect(casGroup.target_group_arns).toContain(ref("aws_lb_target_group", targetId));
    expect(
      rules
        .filter((rule) => rule.listener_arn === ref("aws_lb_listener", byPort[443]!.id))
        .map((rule) => (rule.condition as { host_header: { values: string[] } }[])[0]!.host_header.values[0]),
    ).toEqual(["cas.build.example.com", "scheduler.build.example.com"]);
  });

  it("lets clientCidrs reach both listeners' ports", () => {
    const ingress = Object.values(resources(synth, "aws_vpc_security_group_ingress_rule")).filter((rule) =>
      String(rule.security_group_id).includes("SecurityGroups_alb"),
    );
    expect(ingress.map((rule) => `${String(rule.cidr_ipv4 ?? rule.cidr_ipv6)}:${String(rule.from_port)}-${String(rule.to_port)}`).sort()).toEqual([
      "0.0.0.0/0:443-443",
      "0.0.0.0/0:8443-8443",
      "::/0:443-443",
      "::/0:8443-8443",
    ]);
  });

  it("says so in the outputs: certificates required, the writers' endpoint, each role's Bazel flags", () => {
    expect(synth.output.client_certificate_required?.value).toBe(true);
    expect(synth.output.cas_writers_endpoint?.value).toBe("grpcs://cas.build.example.com:8443");
    expect(synth.output.bazel_flags?.value).toBe(
      "--remote_cache=grpcs://cas.build.example.com --remote_executor=grpcs://scheduler.build.example.com " +
        "--remote_instance_name=main --remote_upload_local_results=false",
    );
    expect(synth.output.bazel_flags_ci?.value).toBe(
      "--remote_cache=grpcs://cas.build.example.com:8443 --remote_executor=grpcs://scheduler.build.example.com --remote_instance_name=main",
    );
  });

  it("passes the whole rule pack, the 8443 ingress and both listeners included", () => {
    // The completeness rules want the DNS updater and the autoscaler, which a cluster alone lacks (wiring tests).
    const security = NATIVELINK_RULES.filter((rule) => !COMPLETENESS_RULES.includes(rule));
    expect(
      findingsOf(clusterStack(), security)
        .filter((finding) => !finding.suppressed)
        .map((finding) => finding.message),
    ).toEqual([]);
  });

  it("takes another writers' port", () => {
    const other = synthCluster({ writersListenerPort: 9443 });
    expect(Object.keys(listeners(other))).toEqual(["443", "9443"]);
    expect(other.output.cas_writers_endpoint?.value).toBe("grpcs://cas.build.example.com:9443");
    expect(Object.values(resources(other, "aws_vpc_security_group_ingress_rule")).filter((rule) => rule.from_port === 9443)).toHaveLength(2);
  });

  it.each([443, 0, 70000, 8443.5])("refuses writersListenerPort %s", (writersListenerPort) => {
    expect(() => synthCluster({ writersListenerPort })).toThrow(
      /invalid prop 'writersListenerPort': .* is not a port of its own\. Fix: use a port from 1 to 65535 other than 443/,
    );
  });
});

describe("verify mode, from S3 objects you manage", () => {
  it("builds each trust store from its objects, with their versions, and adds the revocation lists", () => {
    const synth = synthCluster({
      clientAuthentication: {
        mode: "verify",
        readers: {
          caCertificatesS3: { bucket: "my-pki", key: "readers.pem", version: "v2" },
          revocationListsS3: [
            { bucket: "my-pki", key: "dev.crl" },
            { bucket: "my-pki", key: "ci.crl" },
          ],
        },
        writers: { caCertificatesS3: { bucket: "my-pki", key: "writers.pem" } },
      },
    });
    expect(resources(synth, "aws_s3_object")).toEqual({});
    expect(
      Object.values(resources(synth, "aws_lb_trust_store")).map((s) => [
        s.name,
        s.ca_certificates_bundle_s3_bucket,
        s.ca_certificates_bundle_s3_key,
        s.ca_certificates_bundle_s3_object_version,
      ]),
    ).toEqual([
      ["nativelink-readers", "my-pki", "readers.pem", "v2"],
      ["nativelink-writers", "my-pki", "writers.pem", undefined],
    ]);
    expect(Object.values(resources(synth, "aws_lb_trust_store_revocation")).map((r) => r.revocations_s3_key)).toEqual(["dev.crl", "ci.crl"]);
  });

  const pem = fixture("ci-ca.pem");
  it.each([
    [{ readers: {}, writers: { caCertificatesPem: pem } }, "clientAuthentication.readers': no CA certificates are given"],
    [
      { readers: { caCertificatesPem: pem, caCertificatesS3: { bucket: "b", key: "k" } }, writers: { caCertificatesPem: pem } },
      "clientAuthentication.readers': it mixes PEM text and S3 objects",
    ],
    [
      { readers: { caCertificatesPem: "not a certificate" }, writers: { caCertificatesPem: pem } },
      "clientAuthentication.readers.caCertificatesPem': it holds no PEM certificate",
    ],
    [
      { readers: { caCertificatesPem: pem }, writers: { caCertificatesPem: pem, revocationListsPem: [pem] } },
      "clientAuthentication.writers.revocationListsPem[0]': it holds no PEM revocation list",
    ],
    [
      { readers: { caCertificatesPem: pem }, writers: { caCertificatesS3: { bucket: "b" } } },
      "clientAuthentication.writers.caCertificatesS3': it needs both bucket and key",
    ],
    [
      { readers: { caCertificatesPem: pem }, writers: { caCertificatesS3: { bucket: "b", key: "k" }, revocationListsS3: [{ key: "k" }] } },
      "clientAuthentication.writers.revocationListsS3[0]': it needs both bucket and key",
    ],
  ])("refuses %j", (sources, problem) => {
    expect(() => synthCluster({ clientAuthentication: { mode: "verify", ...sources } as never })).toThrow(problem);
  });
});

describe("verify mode refuses a writers' trust store that accepts every reader", () => {
  const ci = fixture("ci-ca.pem");
  const readers = `${fixture("developers-ca.pem")}${fixture("ci-ca.pem")}`;
  const fix = 'Fix: give the writers\' listener a trust store with the CI CA only: readClientCaDirectory("client-ca").writers';
  it.each([
    ["the same PEM bundle", { caCertificatesPem: readers }, { caCertificatesPem: readers }],
    ["the same bundle with other line endings", { caCertificatesPem: readers }, { caCertificatesPem: readers.replaceAll("\n", "\r\n") }],
    ["a bundle holding the readers' CAs and more", { caCertificatesPem: ci }, { caCertificatesPem: `${readers}\n${ci}` }],
  ])("%s", (_, readersSource, writersSource) => {
    const attempt = () => synthCluster({ clientAuthentication: { mode: "verify", readers: readersSource, writers: writersSource } });
    expect(attempt).toThrow(
      "test/Cluster: invalid prop 'clientAuthentication.writers': trusts every CA clientAuthentication.readers trusts, so every reader's certificate " +
        "(a developer's) may write action results that every build then trusts.",
    );
    expect(attempt).toThrow(fix);
  });

  it("the same S3 object, whatever its version", () => {
    const attempt = () =>
      synthCluster({
        clientAuthentication: {
          mode: "verify",
          readers: { caCertificatesS3: { bucket: "my-pki", key: "ca.pem", version: "v2" } },
          writers: { caCertificatesS3: { bucket: "my-pki", key: "ca.pem" } },
        },
      });
    expect(attempt).toThrow("invalid prop 'clientAuthentication.writers': is the same S3 object as clientAuthentication.readers (my-pki/ca.pem)");
    expect(attempt).toThrow(fix);
  });
});

describe("mode off", () => {
  it("builds no trust store, records the reason on the readers' listener, and tells Bazel no certificate is needed", () => {
    const synth = withMetadata(clusterStack({ clientAuthentication: OFF }));
    expect(synth.resource.aws_lb_trust_store).toBeUndefined();
    expect(Object.keys(listeners(synth))).toEqual(["443"]);
    for (const listener of Object.values(listeners(synth))) {
      expect(listener.mutual_authentication).toBeUndefined();
      expect(listener["//"]?.nativelink_client_authentication).toEqual(OFF);
    }
    expect(synth.output.client_certificate_required?.value).toBe(false);
  });

  it("creates no writers' listener unless writersListener asks for it: no 8443 ingress, no route to the CAS writers' port, no CI outputs", () => {
    const synth = withMetadata(clusterStack({ clientAuthentication: OFF }));
    expect(Object.keys(listeners(synth))).toEqual(["443"]);
    expect(Object.values(resources(synth, "aws_lb_target_group")).map((group) => group.name)).not.toContain("nativelink-cas-writers");
    const ports = (type: string) => Object.values(resources(synth, type)).map((rule) => rule.from_port);
    expect(ports("aws_vpc_security_group_ingress_rule")).not.toContain(8443);
    expect(ports("aws_vpc_security_group_ingress_rule")).not.toContain(50071);
    expect(synth.output.cas_writers_endpoint).toBeUndefined();
    expect(synth.output.bazel_flags_ci).toBeUndefined();
    expect(synth.output.bazel_flags?.value).toContain("--remote_upload_local_results=false");

    const asked = { ...OFF, writersListener: true } as const;
    const withWriters = withMetadata(clusterStack({ clientAuthentication: asked }));
    expect(Object.keys(listeners(withWriters))).toEqual(["443", "8443"]);
    for (const listener of Object.values(listeners(withWriters))) expect(listener["//"]?.nativelink_client_authentication).toEqual(asked);
    expect(withWriters.output.cas_writers_endpoint?.value).toMatch(/^grpcs:\/\/cas\..*:8443$/);
  });

  it("refuses a writersListener that is not a boolean", () => {
    expect(() => synthCluster({ clientAuthentication: { ...OFF, writersListener: "yes" } as never })).toThrow(
      "invalid prop 'clientAuthentication.writersListener': \"yes\" is not a boolean",
    );
  });

  it("is a suppression of NL-ELB-3 with the reason, when public addresses reach the listeners", () => {
    const stack = clusterStack({ clientAuthentication: { ...OFF, writersListener: true } });
    const findings = findingsOf(stack, [clientCertificatesVerified]);
    expect(findings.map((finding) => [finding.resource.split(".")[0], finding.suppressed?.reason])).toEqual([
      ["aws_lb_listener", OFF.reason],
      ["aws_lb_listener", OFF.reason],
    ]);
    for (const listener of Object.values(listeners(withMetadata(stack)))) {
      expect(listener["//"]?.nativelink_checks_suppressed).toEqual([{ id: "NL-ELB-3", reason: OFF.reason }]);
    }
  });

  it("passes NL-ELB-3 without any suppression when only private networks reach the listeners", () => {
    const stack = clusterStack({ clientAuthentication: OFF, clientCidrs: ["10.8.0.0/16", "fd00:1234::/48"] });
    expect(findingsOf(stack, [clientCertificatesVerified])).toEqual([]);
  });
});

describe("the load balancer's quota of listeners in verify mode", () => {
  /** A load balancer of three listeners that all verify client certificates. */
  const threeVerifying = (id: string, verifyingListenersQuota?: number) => {
    const stack = new TerraformStack(Testing.app(), id);
    new AwsProvider(stack, "aws", {});
    const listener = (port: number) => ({ id: `l${port}`, port, clientTrustStoreArn: "arn:trust-store", routes: [] });
    return new NativeLinkLoadBalancer(stack, "Lb", {
      name: "nativelink",
      vpcId: "vpc",
      publicSubnetIds: [],
      securityGroupId: "sg",
      certificateArn: "arn:certificate",
      accessLogBucket: "logs",
      accessLogPrefix: "alb",
      listeners: [listener(443), listener(8443), listener(9443)],
      verifyingListenersQuota,
    });
  };

  it("refuses a third listener that verifies client certificates (an ALB allows 2 by default)", () => {
    expect(() => threeVerifying("quota")).toThrow(
      "quota/Lb: invalid prop 'listeners': 3 listeners verify client certificates. Fix: the Elastic Load Balancing quota of listeners in mutual TLS " +
        "verify mode per load balancer is 2 by default: use another load balancer for the others, " +
        "or, if AWS raised the quota for your account, set verifyingListenersQuota.",
    );
  });

  it("takes a raised quota (verifyingListenersQuota), and refuses one that is not a positive whole number", () => {
    expect(Object.keys(threeVerifying("raised", 3).listeners)).toEqual(["l443", "l8443", "l9443"]);
    expect(() => threeVerifying("zero", 0)).toThrow("invalid prop 'verifyingListenersQuota': 0 is not a positive whole number");
  });
});
