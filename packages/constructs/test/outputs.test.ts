import { describe, expect, it } from "vitest";
import { synthCluster } from "./synth-helpers.js";

describe("outputs", () => {
  const { output } = synthCluster();

  it("are named <thing>_<attribute>", () => {
    expect(Object.keys(output).sort()).toEqual([
      "access_logs_bucket_name",
      "bazel_flags",
      "bazel_flags_ci",
      "cas_autoscaling_group_name",
      "cas_bucket_name",
      "cas_endpoint",
      "cas_writers_endpoint",
      "client_certificate_required",
      "load_balancer_dns_name",
      "private_zone_id",
      "public_zone_id",
      "remote_instance_name",
      "scheduler_autoscaling_group_name",
      "scheduler_endpoint",
      "scheduler_internal_domain_name",
      "vpc_id",
      "workers_arm64_autoscaling_group_name",
      "workers_x86_64_autoscaling_group_name",
    ]);
    for (const value of Object.values(output)) expect(value.description).toBeTruthy();
  });

  it("give the endpoints, instance name and ready-to-paste Bazel flags for developers and CI", () => {
    expect(output.cas_endpoint?.value).toBe("grpcs://cas.build.example.com");
    expect(output.cas_writers_endpoint?.value).toBe("grpcs://cas.build.example.com:8443");
    expect(output.scheduler_endpoint?.value).toBe("grpcs://scheduler.build.example.com");
    expect(output.remote_instance_name?.value).toBe("main");
    // Developers read the cache through the readers' listener, whose action cache refuses their uploads.
    expect(output.bazel_flags?.value).toBe(
      "--remote_cache=grpcs://cas.build.example.com --remote_executor=grpcs://scheduler.build.example.com --remote_instance_name=main " +
        "--remote_upload_local_results=false",
    );
    expect(output.bazel_flags_ci?.value).toBe(
      "--remote_cache=grpcs://cas.build.example.com:8443 --remote_executor=grpcs://scheduler.build.example.com --remote_instance_name=main",
    );
  });

  it("reference the buckets, groups and zones", () => {
    expect(output.cas_bucket_name?.value).toMatch(/^\$\{aws_s3_bucket\.Cluster_Storage_Cas_Bucket_[A-F0-9]+\.bucket\}$/);
    expect(output.cas_autoscaling_group_name?.value).toMatch(/^\$\{aws_autoscaling_group\.Cluster_cas_Group_[A-F0-9]+\.name\}$/);
    expect(output.private_zone_id?.value).toMatch(/aws_route53_zone\..*\.zone_id/);
    expect(output.public_zone_id?.value).toMatch(/data\.aws_route53_zone\..*\.zone_id/);
  });

  it("follow the instance name", () => {
    expect(synthCluster({ instanceName: "ci" }).output.bazel_flags?.value).toContain("--remote_instance_name=ci");
  });
});
