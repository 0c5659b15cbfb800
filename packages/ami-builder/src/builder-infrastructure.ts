import { TAG_KEYS } from "@nativelink-aws/conventions";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition/index.js";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js";
import { ImagebuilderInfrastructureConfiguration } from "@cdktf/provider-aws/lib/imagebuilder-infrastructure-configuration/index.js";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js";
import { Construct } from "constructs";
import { perArchitecture, type PerArchitecture } from "./architectures.js";

/** AWS-managed policies of the build and test instances: Systems Manager (how Image Builder drives them, no SSH) and Image Builder's own. */
export const BUILDER_MANAGED_POLICIES = ["AmazonSSMManagedInstanceCore", "EC2InstanceProfileForImageBuilder"] as const;

/** What the build instances may reach: nothing comes in, and only web ports go out. */
export const BUILDER_EGRESS = [
  { port: 443, description: "HTTPS: GitHub releases, the CloudWatch agent, Systems Manager and Image Builder APIs" },
  { port: 80, description: "HTTP: Ubuntu's package archive (apt checks the packages' signatures)" },
] as const;

export interface ImageBuilderInfrastructureProps {
  readonly name: string;
  readonly vpcId: string;
  readonly subnetId: string;
  readonly instanceTypes: PerArchitecture<readonly string[]>;
  readonly keepBuilderOnFailure: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Where Image Builder runs the build and test instances: a least-privilege instance profile, an
 * egress-only security group, and one infrastructure configuration per architecture. Managed through
 * Systems Manager, so there is no key pair and no SSH.
 */
export class ImageBuilderInfrastructure extends Construct {
  readonly role: IamRole;
  readonly instanceProfile: IamInstanceProfile;
  readonly securityGroup: SecurityGroup;
  readonly configurations: PerArchitecture<ImagebuilderInfrastructureConfiguration>;

  constructor(scope: Construct, id: string, props: ImageBuilderInfrastructureProps) {
    super(scope, id);
    const physicalName = `${props.name}-image-builder`;
    const partition = new DataAwsPartition(this, "Partition");
    this.role = new IamRole(this, "Role", {
      name: physicalName,
      description: `Build and test instances of the ${props.name} NativeLink images (EC2 Image Builder)`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: `ec2.${partition.dnsSuffix}` }, Action: "sts:AssumeRole" }],
      }),
      tags: props.tags,
    });
    for (const policy of BUILDER_MANAGED_POLICIES) {
      new IamRolePolicyAttachment(this, policy, { role: this.role.name, policyArn: `arn:${partition.partition}:iam::aws:policy/${policy}` });
    }
    this.instanceProfile = new IamInstanceProfile(this, "InstanceProfile", { name: physicalName, role: this.role.name, tags: props.tags });

    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      name: physicalName,
      description: `Egress only: build and test instances of the ${props.name} NativeLink images`,
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
      tags: { ...props.tags, Name: physicalName },
    });
    for (const rule of BUILDER_EGRESS) {
      new VpcSecurityGroupEgressRule(this, `Egress${rule.port}`, {
        securityGroupId: this.securityGroup.id,
        description: rule.description,
        ipProtocol: "tcp",
        fromPort: rule.port,
        toPort: rule.port,
        cidrIpv4: "0.0.0.0/0",
        tags: props.tags,
      });
    }

    this.configurations = perArchitecture(
      (architecture) =>
        new ImagebuilderInfrastructureConfiguration(this, `Configuration-${architecture}`, {
          name: `${props.name}-nativelink-${architecture}`,
          description: `Build and test instances of the ${props.name} NativeLink image (${architecture})`,
          instanceProfileName: this.instanceProfile.name,
          instanceTypes: [...props.instanceTypes[architecture]],
          subnetId: props.subnetId,
          securityGroupIds: [this.securityGroup.id],
          // false keeps a failed instance for debugging through Session Manager (README, "Debugging a bake").
          terminateInstanceOnFailure: !props.keepBuilderOnFailure,
          instanceMetadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
          resourceTags: { ...props.tags, [TAG_KEYS.deployment]: props.name, "nativelink:purpose": "image-builder" },
          tags: props.tags,
        }),
    );
  }
}
