import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { NativeLinkChecks, NativeLinkCluster } from "@nativelink-aws/constructs";
import { Aspects, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { referenceVariables } from "./variables.js";

export interface ReferenceDeploymentProps {
  /**
   * Deployment name; every physical name derives from it.
   * @default "nativelink"
   */
  readonly name?: string;
}

/**
 * The topology of NativeLink's original AWS README: `grpcs://cas.DOMAIN` and `grpcs://scheduler.DOMAIN`
 * behind TLS, a CAS fleet over S3, one scheduler, x86_64 and arm64 NVMe workers.
 */
export class ReferenceDeployment extends TerraformStack {
  readonly cluster: NativeLinkCluster;
  /** The security rule pack; error findings fail synthesis. */
  readonly checks = new NativeLinkChecks();

  constructor(scope: Construct, id: string, props: ReferenceDeploymentProps = {}) {
    super(scope, id);
    const vars = referenceVariables(this);
    const name = props.name ?? "nativelink";
    // An empty region variable leaves the provider to AWS_REGION or the profile, as the AWS CLI does.
    new AwsProvider(this, "aws", { region: vars.providerRegion, defaultTags: [{ tags: { "nativelink:deployment": name, "managed-by": "nativelink-aws" } }] });
    this.cluster = new NativeLinkCluster(this, "Cluster", {
      name,
      baseDomain: vars.baseDomain,
      casDomainPrefix: vars.casDomainPrefix,
      schedulerDomainPrefix: vars.schedulerDomainPrefix,
      scheduler: { instanceType: vars.schedulerInstanceType, architecture: "arm64" },
      images: { x86_64: vars.amiIdX86_64, arm64: vars.amiIdArm64 },
    });
    Aspects.of(this).add(this.checks);
  }
}
