import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate/index.js";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation/index.js";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone/index.js";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record/index.js";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone/index.js";
import { TerraformIterator, Token } from "./cdktf.js";
import { Construct } from "constructs";
import { NativeLinkPropError } from "./errors.js";
import { deploymentTags } from "./names.js";

export interface NativeLinkEndpointsProps {
  readonly name: string;
  /** An existing public Route 53 hosted zone's name, e.g. `build.example.com` (the original's `base_domain`). */
  readonly baseDomain: string;
  /** @default "cas" */
  readonly casDomainPrefix?: string;
  /** @default "scheduler" */
  readonly schedulerDomainPrefix?: string;
  /** The VPC that resolves the private zone `internal.<baseDomain>`. */
  readonly vpcId: string;
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * DNS names and the certificate: the public zone looked up by name, one ACM certificate for
 * `cas.` and `scheduler.` validated through Route 53, and a private zone `internal.<domain>` in which the
 * scheduler's worker-facing record lives (the original leaked private IPs into the public zone).
 */
export class NativeLinkEndpoints extends Construct {
  readonly casDomainName: string;
  readonly schedulerDomainName: string;
  /** `scheduler.internal.<domain>`: the name workers dial, kept true by the DNS updater. */
  readonly schedulerInternalDomainName: string;
  readonly publicZoneId: string;
  readonly privateZoneId: string;
  readonly privateZoneName: string;
  /** The certificate ARN, available only once validation completed: listeners use this. */
  readonly validatedCertificateArn: string;

  constructor(scope: Construct, id: string, props: NativeLinkEndpointsProps) {
    super(scope, id);
    const casPrefix = this.checkLabel("casDomainPrefix", props.casDomainPrefix ?? "cas");
    const schedulerPrefix = this.checkLabel("schedulerDomainPrefix", props.schedulerDomainPrefix ?? "scheduler");
    if (!Token.isUnresolved(props.baseDomain) && !/^([a-z0-9-]+\.)+[a-z]{2,}$/.test(props.baseDomain)) {
      throw new NativeLinkPropError(
        this.node.path,
        "baseDomain",
        `"${props.baseDomain}" is not a lowercase domain name`,
        'pass the public hosted zone\'s name without a trailing dot, e.g. "build.example.com"',
      );
    }
    this.casDomainName = `${casPrefix}.${props.baseDomain}`;
    this.schedulerDomainName = `${schedulerPrefix}.${props.baseDomain}`;
    this.privateZoneName = `internal.${props.baseDomain}`;
    this.schedulerInternalDomainName = `${schedulerPrefix}.${this.privateZoneName}`;
    const tags = deploymentTags(props.name);

    const publicZone = new DataAwsRoute53Zone(this, "PublicZone", { name: props.baseDomain, privateZone: false });
    this.publicZoneId = publicZone.zoneId;

    const certificate = new AcmCertificate(this, "Certificate", {
      domainName: this.casDomainName,
      subjectAlternativeNames: [this.schedulerDomainName],
      validationMethod: "DNS",
      keyAlgorithm: "EC_prime256v1",
      tags,
      lifecycle: { createBeforeDestroy: true },
    });
    const validationOptions = TerraformIterator.fromComplexList(certificate.domainValidationOptions, "domain_name");
    const validationRecords = new Route53Record(this, "CertificateValidationRecord", {
      forEach: validationOptions,
      zoneId: publicZone.zoneId,
      name: validationOptions.getString("resource_record_name"),
      type: validationOptions.getString("resource_record_type"),
      records: [validationOptions.getString("resource_record_value")],
      ttl: 60,
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, "CertificateValidation", {
      certificateArn: certificate.arn,
      validationRecordFqdns: Token.asList(TerraformIterator.fromResources(validationRecords).pluckProperty("fqdn")),
    });
    this.validatedCertificateArn = validation.certificateArn;

    const privateZone = new Route53Zone(this, "PrivateZone", {
      name: this.privateZoneName,
      comment: `NativeLink ${props.name}: records only instances in the VPC resolve`,
      vpc: [{ vpcId: props.vpcId }],
      // Its only records are written by the DNS updater and derive from live instances.
      forceDestroy: true,
      tags,
    });
    this.privateZoneId = privateZone.zoneId;
  }

  /** Points `cas.<domain>` and `scheduler.<domain>` at a load balancer. */
  aliasTo(loadBalancer: { readonly dnsName: string; readonly zoneId: string }): void {
    for (const [id, name] of [
      ["CasAlias", this.casDomainName],
      ["SchedulerAlias", this.schedulerDomainName],
    ] as const) {
      new Route53Record(this, id, {
        zoneId: this.publicZoneId,
        name,
        type: "A",
        alias: { name: loadBalancer.dnsName, zoneId: loadBalancer.zoneId, evaluateTargetHealth: true },
      });
    }
  }

  private checkLabel(prop: string, value: string): string {
    if (!Token.isUnresolved(value) && !LABEL.test(value)) {
      throw new NativeLinkPropError(this.node.path, prop, `"${value}" is not a single lowercase DNS label`, 'use letters, digits and hyphens only, e.g. "cas"');
    }
    return value;
  }
}
