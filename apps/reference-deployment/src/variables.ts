import { TerraformVariable } from "cdktf";
import type { Construct } from "constructs";

/** The original deployment's variables (`-var base_domain=…`), plus what it hard-coded (the region). */
export interface ReferenceVariables {
  readonly baseDomain: string;
  readonly casDomainPrefix: string;
  readonly schedulerDomainPrefix: string;
  readonly schedulerInstanceType: string;
  /** The `region` variable, or null when empty, as a provider argument. */
  readonly providerRegion: string;
}

export function referenceVariables(scope: Construct): ReferenceVariables {
  const variable = (id: string, description: string, extra: Partial<ConstructorParameters<typeof TerraformVariable>[2]> = {}) =>
    new TerraformVariable(scope, id, { type: "string", description, ...extra }).stringValue;
  return {
    baseDomain: variable("base_domain", "Name of an existing public Route 53 hosted zone, e.g. build.example.com (see README: Prerequisites).", {
      validation: [
        {
          condition: '${can(regex("^([a-z0-9-]+\\\\.)+[a-z]{2,}$", var.base_domain))}',
          errorMessage: "base_domain must be a lowercase domain name without a trailing dot, e.g. build.example.com.",
        },
      ],
    }),
    casDomainPrefix: variable("cas_domain_prefix", "Label of the CAS endpoint: grpcs://<prefix>.<base_domain>.", { default: "cas" }),
    schedulerDomainPrefix: variable("scheduler_domain_prefix", "Label of the scheduler endpoint: grpcs://<prefix>.<base_domain>.", { default: "scheduler" }),
    schedulerInstanceType: variable("scheduler_instance_type", "Instance type of the single on-demand scheduler; an arm64 (Graviton) type.", {
      default: "c6g.xlarge",
      validation: [
        {
          condition: '${can(regex("^[a-z]+[0-9]+[a-z-]*g[a-z-]*\\\\.", var.scheduler_instance_type))}',
          errorMessage: "scheduler_instance_type must be an arm64 (Graviton) type such as c6g.xlarge or c7g.large.",
        },
      ],
    }),
    providerRegion: regionArgument(scope),
  };
}

/** `var.region == "" ? null : var.region`: an unset provider region falls back to AWS_REGION or the profile. */
function regionArgument(scope: Construct): string {
  new TerraformVariable(scope, "region", {
    type: "string",
    default: "",
    description: 'AWS region to deploy into; "" (the default) uses AWS_REGION or the profile\'s region.',
  });
  // Op.eq renders an empty-string operand as `undefined`, so the expression is written out.
  return '${var.region == "" ? null : var.region}';
}
