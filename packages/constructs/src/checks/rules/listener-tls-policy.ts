import type { CheckRule } from "../rule.js";

/** TLS 1.2+ policies without legacy ciphers, and the TLS 1.3 family (Elastic Load Balancing names). */
export const ALLOWED_SSL_POLICIES = [
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
  "ELBSecurityPolicy-TLS-1-2-2017-01",
  "ELBSecurityPolicy-FS-1-2-Res-2020-10",
];

export const listenerTlsPolicy: CheckRule = {
  id: "NL-ELB-1",
  severity: "error",
  title: "Load balancer listeners use TLS with a TLS 1.2+ policy",
  explanation:
    "Older policies (such as the original's ELBSecurityPolicy-2016-08) " +
    "accept TLS 1.0 and 1.1 and weak ciphers; plain HTTP carries cache contents in the clear.",
  fix: `use protocol HTTPS (or TLS) with ssl_policy one of ${ALLOWED_SSL_POLICIES.join(", ")}`,
  resourceTypes: ["aws_lb_listener"],
  check(listener) {
    const protocol = String(listener.config.protocol ?? "HTTP");
    if (protocol !== "HTTPS" && protocol !== "TLS") {
      const redirectsOnly = JSON.stringify(listener.config.default_action ?? "").includes('"redirect"');
      return redirectsOnly ? [] : [`the listener speaks ${protocol} without TLS`];
    }
    const policy = String(listener.config.ssl_policy ?? "the provider default");
    return ALLOWED_SSL_POLICIES.includes(policy) ? [] : [`ssl_policy ${policy} is not on the allow-list`];
  },
};
