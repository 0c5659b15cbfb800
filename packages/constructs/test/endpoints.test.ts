import { describe, expect, it } from "vitest";
import { only, resources, synthCluster } from "./synth-helpers.js";

describe("endpoints: DNS and certificate", () => {
  const synth = synthCluster();

  it("looks up the existing public hosted zone by base_domain", () => {
    expect(Object.values(synth.data.aws_route53_zone ?? {})).toEqual([expect.objectContaining({ name: "build.example.com", private_zone: false })]);
  });

  it("requests one DNS-validated certificate for cas. and scheduler.", () => {
    expect(only(synth, "aws_acm_certificate")).toMatchObject({
      domain_name: "cas.build.example.com",
      subject_alternative_names: ["scheduler.build.example.com"],
      validation_method: "DNS",
    });
  });

  it("writes the validation records into the public zone, one per name", () => {
    const records = Object.values(resources(synth, "aws_route53_record"));
    const validation = records.find((record) => record.for_each)!;
    expect(validation.for_each).toMatch(/aws_acm_certificate\.Cluster_Endpoints_Certificate_[A-F0-9]+\.domain_validation_options/);
    expect(validation).toMatchObject({
      name: "${each.value.resource_record_name}",
      type: "${each.value.resource_record_type}",
      records: ["${each.value.resource_record_value}"],
    });
    expect(validation.zone_id).toMatch(/data\.aws_route53_zone\..*\.zone_id/);
  });

  it("serves HTTPS on both listeners with the certificate only once validation completed", () => {
    const validation = Object.keys(resources(synth, "aws_acm_certificate_validation"))[0];
    const listeners = Object.values(resources(synth, "aws_lb_listener"));
    expect(listeners).toHaveLength(2);
    for (const listener of listeners) expect(listener.certificate_arn).toBe(`\${aws_acm_certificate_validation.${validation}.certificate_arn}`);
    expect(only(synth, "aws_acm_certificate_validation").validation_record_fqdns).toMatch(
      /^\$\{\[ for key, val in aws_route53_record\.Cluster_Endpoints_CertificateValidationRecord_[A-F0-9]+: val\.fqdn\]\}$/,
    );
  });

  it("points cas. and scheduler. at the load balancer with alias records", () => {
    const aliases = Object.values(resources(synth, "aws_route53_record")).filter((record) => record.alias);
    expect(aliases.map((record) => record.name).sort()).toEqual(["cas.build.example.com", "scheduler.build.example.com"]);
    for (const alias of aliases) {
      expect(alias).toMatchObject({
        type: "A",
        alias: { name: expect.stringContaining("aws_lb."), zone_id: expect.stringContaining("aws_lb."), evaluate_target_health: true },
      });
    }
  });

  it("keeps the scheduler's internal name in a private zone on the VPC, not in the public zone", () => {
    expect(only(synth, "aws_route53_zone")).toMatchObject({ name: "internal.build.example.com", vpc: [{ vpc_id: expect.stringContaining("aws_vpc.") }] });
    const publicNames = Object.values(resources(synth, "aws_route53_record")).map((record) => String(record.name));
    expect(publicNames.some((name) => name.includes("internal"))).toBe(false);
    expect(synth.output.scheduler_internal_domain_name?.value).toBe("scheduler.internal.build.example.com");
  });

  it("uses the domain prefixes", () => {
    const custom = synthCluster({ casDomainPrefix: "cache", schedulerDomainPrefix: "remote" });
    expect(only(custom, "aws_acm_certificate")).toMatchObject({
      domain_name: "cache.build.example.com",
      subject_alternative_names: ["remote.build.example.com"],
    });
    expect(custom.output.scheduler_internal_domain_name?.value).toBe("remote.internal.build.example.com");
  });
});
