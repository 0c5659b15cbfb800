import { describe, expect, it } from "vitest";
import { only, resources, synthCluster } from "./synth-helpers.js";

describe("load balancing", () => {
  const synth = synthCluster();
  const targetGroups = Object.entries(resources(synth, "aws_lb_target_group"));

  it("uses one internet-facing ALB with HTTP/2, invalid headers dropped, strictest desync mitigation and access logs", () => {
    expect(only(synth, "aws_lb")).toMatchObject({
      name: "nativelink-alb",
      load_balancer_type: "application",
      internal: false,
      enable_http2: true,
      drop_invalid_header_fields: true,
      desync_mitigation_mode: "strictest",
      idle_timeout: 600,
      access_logs: { enabled: true, prefix: "alb", bucket: expect.stringMatching(/aws_s3_bucket\.Cluster_Storage_AccessLogs_Bucket.*\.bucket/) },
    });
    expect(only(synth, "aws_lb").depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_policy\.Cluster_Storage_AccessLogs_Policy/)]);
  });

  it("listens on HTTPS only, 443 for readers and 8443 for the cache's writers, with a TLS 1.3 policy", () => {
    const listeners = Object.values(resources(synth, "aws_lb_listener"));
    expect(listeners.map((listener) => listener.port)).toEqual([443, 8443]);
    for (const listener of listeners) expect(listener).toMatchObject({ protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
  });

  it("has gRPC target groups for the CAS on 50051, the scheduler on 50052 and the CAS's writers on 50071", () => {
    const byName = Object.fromEntries(targetGroups.map(([, group]) => [group.name, group]));
    expect(byName["nativelink-cas-grpc"]).toMatchObject({
      port: 50051,
      protocol: "HTTP",
      protocol_version: "GRPC",
      load_balancing_algorithm_type: "least_outstanding_requests",
    });
    expect(byName["nativelink-scheduler-grpc"]).toMatchObject({ port: 50052, protocol: "HTTP", protocol_version: "GRPC" });
    expect(byName["nativelink-cas-writers"]).toMatchObject({
      port: 50071,
      protocol: "HTTP",
      protocol_version: "GRPC",
      load_balancing_algorithm_type: "least_outstanding_requests",
    });
  });

  it("keeps target group and load balancer names within AWS's 32 characters for the longest deployment name", () => {
    const long = synthCluster({ name: "a-twenty-char-name-x" });
    const names = [...Object.values(resources(long, "aws_lb_target_group")), only(long, "aws_lb")].map((resource) => String(resource.name));
    expect(names).toEqual(expect.arrayContaining(["a-twenty-char-name-x-cas-grpc", "a-twenty-char-name-x-scheduler", "a-twenty-char-name-x-cas-writers"]));
    for (const name of names) expect(name.length).toBeLessThanOrEqual(32);
  });

  it("health-checks every target group with a real method NativeLink answers OK (GetCapabilities, grpc-status 0)", () => {
    // NativeLink 1.6.6 answers the ALB's default /AWS.ALB/healthcheck with HTTP 404 and no grpc-status: every target
    // would be unhealthy (tests/e2e sends this check to the real binary).
    expect(targetGroups).toHaveLength(3);
    for (const [, group] of targetGroups) {
      expect(group.health_check).toMatchObject({
        enabled: true,
        protocol: "HTTP",
        path: "/build.bazel.remote.execution.v2.Capabilities/GetCapabilities",
        matcher: "0",
      });
    }
  });

  it("routes by host name to each target group, and answers 404 for other hosts", () => {
    const rules = Object.values(resources(synth, "aws_lb_listener_rule"));
    const routes = rules.map((rule) => [
      (rule.condition as { host_header: { values: string[] } }[])[0]!.host_header.values[0],
      (rule.action as { target_group_arn: string }[])[0]!.target_group_arn,
    ]);
    expect(routes).toEqual(
      expect.arrayContaining([
        ["cas.build.example.com", expect.stringContaining("aws_lb_target_group.Cluster_LoadBalancer_cas-targets")],
        ["scheduler.build.example.com", expect.stringContaining("aws_lb_target_group.Cluster_LoadBalancer_scheduler-targets")],
        ["cas.build.example.com", expect.stringContaining("aws_lb_target_group.Cluster_LoadBalancer_cas-writers-targets")],
      ]),
    );
    expect(routes).toHaveLength(3);
    for (const listener of Object.values(resources(synth, "aws_lb_listener")))
      expect(listener.default_action).toEqual([expect.objectContaining({ type: "fixed-response" })]);
  });

  it("refuses a listener policy that is not TLS 1.3", () => {
    expect(() => synthCluster({ sslPolicy: "ELBSecurityPolicy-2016-08" })).toThrow(
      /LoadBalancer: invalid prop 'sslPolicy': "ELBSecurityPolicy-2016-08" is not a TLS 1\.3 policy\. Fix: use one of ELBSecurityPolicy-TLS13-1-2-2021-06/,
    );
  });
});
