// NL-ELB-3 (no unauthenticated listener open to public addresses), NL-ELB-4 (a pending client CA), and the CIDRs
// the first counts as private.
import { Lb } from "@cdktf/provider-aws/lib/lb/index.js";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener/index.js";
import { LbTrustStore } from "@cdktf/provider-aws/lib/lb-trust-store/index.js";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js";
import type { TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { clientCaPending } from "../src/checks/rules/client-ca-pending.js";
import { clientCertificatesVerified } from "../src/checks/rules/client-certificates-verified.js";
import { noOpenIngress } from "../src/checks/rules/no-open-ingress.js";
import { isPrivateCidr } from "../src/checks/rules/private-networks.js";
import { suppressCheck } from "../src/checks/suppressions.js";
import { PendingInput } from "../src/pending-input.js";
import { checkedStack, findingsOf, problemsOf } from "./checks-helpers.js";

const FIXED_404 = [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }];

/** An internet-facing ALB with one security group open on `port` to `cidrs`, and an HTTPS listener on that port. */
function loadBalancer(stack: TerraformStack, options: { cidrs: string[]; port?: number; verify?: boolean; internal?: boolean }): LbListener {
  const port = options.port ?? 443;
  const group = new SecurityGroup(stack, "lb-group", { name: "lb" });
  options.cidrs.forEach(
    (cidr, i) =>
      new VpcSecurityGroupIngressRule(stack, `in-${i}`, {
        securityGroupId: group.id,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        ...(cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
      }),
  );
  const lb = new Lb(stack, "alb", { internal: options.internal ?? false, securityGroups: [group.id], dropInvalidHeaderFields: true });
  const trustStore = options.verify
    ? new LbTrustStore(stack, "clients", { caCertificatesBundleS3Bucket: "pki", caCertificatesBundleS3Key: "ca.pem" })
    : undefined;
  return new LbListener(stack, "Listener", {
    loadBalancerArn: lb.arn,
    port,
    protocol: "HTTPS",
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    certificateArn: "arn:certificate",
    defaultAction: FIXED_404,
    mutualAuthentication: trustStore ? { mode: "verify", trustStoreArn: trustStore.arn } : undefined,
  });
}

describe("NL-ELB-3 internet-facing listeners accept only clients with a verified certificate", () => {
  it("passes a listener that verifies client certificates, one only private networks reach, and one of an internal load balancer", () => {
    expect(problemsOf(clientCertificatesVerified, (s) => loadBalancer(s, { cidrs: ["0.0.0.0/0", "::/0"], verify: true }))).toEqual([]);
    expect(
      problemsOf(clientCertificatesVerified, (s) => loadBalancer(s, { cidrs: ["10.0.0.0/8", "172.16.0.0/12", "192.168.1.0/24", "fd12:3456::/32"] })),
    ).toEqual([]);
    expect(problemsOf(clientCertificatesVerified, (s) => loadBalancer(s, { cidrs: ["0.0.0.0/0"], internal: true }))).toEqual([]);
  });

  it("fails a listener without verify mode that public addresses reach, naming them", () => {
    const stack = checkedStack();
    loadBalancer(stack, { cidrs: ["0.0.0.0/0", "10.0.0.0/8", "::/0"], port: 8443 });
    expect(findingsOf(stack, [clientCertificatesVerified]).map((finding) => finding.message)).toEqual([
      expect.stringMatching(
        new RegExp(
          "^\\[NL-ELB-3\\] Internet-facing listeners accept only clients with a verified certificate: port 8443 serves clients " +
            "without a verified certificate \\(mutual authentication off\\) to 0\\.0\\.0\\.0\\/0, ::\\/0\\. .* Fix: verify client certificates",
        ),
      ),
    ]);
  });

  it("fails passthrough mode, a wider range than a private one, and a listener whose load balancer it cannot see", () => {
    expect(
      problemsOf(clientCertificatesVerified, (s) => {
        const listener = loadBalancer(s, { cidrs: ["172.16.0.0/11"] });
        listener.addOverride("mutual_authentication", { mode: "passthrough" });
      }),
    ).toEqual(["aws_lb_listener.Listener: port 443 serves clients without a verified certificate (mutual authentication passthrough) to 172.16.0.0/11"]);
    expect(
      problemsOf(
        clientCertificatesVerified,
        (s) => new LbListener(s, "Elsewhere", { loadBalancerArn: "arn:lb", port: 443, protocol: "HTTPS", defaultAction: FIXED_404 }),
      ),
    ).toEqual([
      "aws_lb_listener.Elsewhere: port 443 serves clients without a verified certificate (mutual authentication off), " +
        "and its load balancer's security groups are not in the stack, so any address may reach it",
    ]);
  });

  it("fails verify mode that ignores certificate expiry (ignore_client_certificate_expiry = true), and passes it set to false", () => {
    expect(
      problemsOf(clientCertificatesVerified, (s) => {
        const listener = loadBalancer(s, { cidrs: ["0.0.0.0/0"], verify: true });
        listener.addOverride("mutual_authentication.ignore_client_certificate_expiry", true);
      }),
    ).toEqual([
      "aws_lb_listener.Listener: port 443 serves clients without a verified certificate " +
        "(mutual authentication verify, with ignore_client_certificate_expiry = true) to 0.0.0.0/0",
    ]);
    expect(
      problemsOf(clientCertificatesVerified, (s) => {
        const listener = loadBalancer(s, { cidrs: ["0.0.0.0/0"], verify: true });
        listener.addOverride("mutual_authentication.ignore_client_certificate_expiry", false);
      }),
    ).toEqual([]);
    // Only private networks reach it: expiry or not, the rule is about internet-facing listeners.
    expect(
      problemsOf(clientCertificatesVerified, (s) => {
        const listener = loadBalancer(s, { cidrs: ["10.0.0.0/8"], verify: true });
        listener.addOverride("mutual_authentication.ignore_client_certificate_expiry", true);
      }),
    ).toEqual([]);
  });

  it("passes a listener that only redirects, and honours a suppression with its reason", () => {
    expect(
      problemsOf(
        clientCertificatesVerified,
        (s) =>
          new LbListener(s, "Http", {
            loadBalancerArn: "arn:lb",
            port: 80,
            protocol: "HTTP",
            defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
          }),
      ),
    ).toEqual([]);
    const stack = checkedStack();
    suppressCheck(loadBalancer(stack, { cidrs: ["0.0.0.0/0"] }), "NL-ELB-3", "a public demo cache without execution, rebuilt nightly");
    expect(findingsOf(stack, [clientCertificatesVerified]).map((finding) => finding.suppressed?.reason)).toEqual([
      "a public demo cache without execution, rebuilt nightly",
    ]);
  });
});

describe("NL-SG-1 world ingress only to the load balancer's TLS listeners", () => {
  it("passes 8443 from the world when the load balancer has an HTTPS listener there, and fails it when not", () => {
    expect(problemsOf(noOpenIngress, (s) => loadBalancer(s, { cidrs: ["0.0.0.0/0", "::/0"], port: 8443, verify: true }))).toEqual([]);
    expect(
      problemsOf(noOpenIngress, (s) => {
        const group = new SecurityGroup(s, "lb-group", { name: "lb" });
        new Lb(s, "alb", { securityGroups: [group.id], dropInvalidHeaderFields: true });
        new VpcSecurityGroupIngressRule(s, "in", { securityGroupId: group.id, ipProtocol: "tcp", fromPort: 8443, toPort: 8443, cidrIpv4: "0.0.0.0/0" });
      }),
    ).toEqual(["aws_vpc_security_group_ingress_rule.in: ingress from 0.0.0.0/0 on ports 8443-8443 where the load balancer has no TLS listener"]);
  });
});

describe("NL-ELB-4 no trust store waits for a pending client CA", () => {
  it("warns about a trust store whose CA bundle is a pending input's placeholder, with its message", () => {
    const stack = checkedStack();
    const pending = new PendingInput(stack, "ClientCa", { message: "No client CA directory at client-ca: run certs publish, then synthesize again." });
    new LbTrustStore(stack, "pending", { caCertificatesBundleS3Bucket: pending.value, caCertificatesBundleS3Key: pending.value });
    new LbTrustStore(stack, "ready", { caCertificatesBundleS3Bucket: "pki", caCertificatesBundleS3Key: "ca.pem" });
    expect(findingsOf(stack, [clientCaPending]).map((finding) => `${finding.severity} ${finding.resource}: ${finding.message}`)).toEqual([
      "warning aws_lb_trust_store.pending: [NL-ELB-4] No trust store waits for a pending client CA: " +
        "its CA certificates are pending: No client CA directory at client-ca: " +
        "run certs publish, then synthesize again. The client CA is a pending input (PendingInput): " +
        "terraform plan stops at its guard until the missing input is provided. " +
        "Fix: do what the message says, then synthesize again.",
    ]);
  });
});

describe("isPrivateCidr", () => {
  it.each([
    ["10.0.0.0/8", true],
    ["10.8.0.0/16", true],
    ["172.16.0.0/12", true],
    ["172.31.255.0/24", true],
    ["192.168.0.0/16", true],
    ["fd00::/8", true],
    ["fc00::/7", true],
    ["fd12:3456:789a::/48", true],
    ["0.0.0.0/0", false],
    ["::/0", false],
    ["172.16.0.0/11", false],
    ["172.32.0.0/16", false],
    ["11.0.0.0/8", false],
    ["100.64.0.0/10", false],
    ["203.0.113.0/24", false],
    ["fc00::/6", false],
    ["2001:db8::/32", false],
    ["${var.office_cidr}", false],
    ["10.0.0.0", false],
    ["10.0.0.300/32", false],
  ])("%s is private: %s", (cidr, expected) => {
    expect(isPrivateCidr(cidr)).toBe(expected);
  });
});
