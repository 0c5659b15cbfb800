import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js";
import { Construct } from "constructs";
import { awsContext } from "./aws-context.js";
import { deploymentTags, physicalName } from "./names.js";

/** What one fleet may do in the CAS bucket, by key prefix. */
export interface BucketAccess {
  readonly bucketArn: string;
  /** Prefixes (e.g. `cas/`) the fleet reads. */
  readonly read: string[];
  /** Prefixes the fleet writes (and so also reads). */
  readonly write: string[];
}

export interface FleetRoleProps {
  readonly name: string;
  /** `cas`, `scheduler`, `workers-x86_64`, …: the role is `<name>-<role>`. */
  readonly role: string;
  readonly bucket: BucketAccess;
  /** ARN of the fleet's CloudWatch log group; the role may write only there. */
  readonly logGroupArn: string;
  /** More statements, e.g. lifecycle-action completion for workers. */
  readonly extraStatements?: DataAwsIamPolicyDocumentStatement[];
}

/**
 * A role per fleet: S3 actions limited to the CAS bucket and the prefixes this role needs, logs to its
 * own log group, SSM Session Manager for shell access. No account-wide EC2 actions.
 */
export class FleetRole extends Construct {
  readonly role: IamRole;
  readonly instanceProfile: IamInstanceProfile;

  constructor(scope: Construct, id: string, props: FleetRoleProps) {
    super(scope, id);
    const { partition, dnsSuffix } = awsContext(this);
    const roleName = physicalName(props.name, props.role);
    const assume = new DataAwsIamPolicyDocument(this, "AssumeRole", {
      statement: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: [`ec2.${dnsSuffix}`] }] }],
    });
    this.role = new IamRole(this, "Role", { name: roleName, assumeRolePolicy: assume.json, tags: deploymentTags(props.name) });
    new IamRolePolicyAttachment(this, "SessionManager", {
      role: this.role.name,
      policyArn: `arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    });
    const policy = new DataAwsIamPolicyDocument(this, "Policy", {
      statement: [...bucketStatements(props.bucket), ...logStatements(props.logGroupArn), ...(props.extraStatements ?? [])],
    });
    new IamRolePolicy(this, "Inline", { name: "nativelink", role: this.role.id, policy: policy.json });
    this.instanceProfile = new IamInstanceProfile(this, "Profile", { name: roleName, role: this.role.name, tags: deploymentTags(props.name) });
  }

  /** Adds an inline policy `id` with more statements, for resources created after the role (its group). */
  addStatements(id: string, statements: DataAwsIamPolicyDocumentStatement[]): void {
    const document = new DataAwsIamPolicyDocument(this, `${id}-policy`, { statement: statements });
    new IamRolePolicy(this, `${id}-inline`, { name: id, role: this.role.id, policy: document.json });
  }
}

function bucketStatements({ bucketArn, read, write }: BucketAccess): DataAwsIamPolicyDocumentStatement[] {
  const objects = (prefixes: string[]) => prefixes.map((prefix) => `${bucketArn}/${prefix}*`);
  const statements: DataAwsIamPolicyDocumentStatement[] = [
    // Without ListBucket, S3 answers 403 instead of 404 for a missing object, and NativeLink would
    // report an error instead of a cache miss.
    { sid: "FindObjects", actions: ["s3:ListBucket"], resources: [bucketArn] },
  ];
  const readOnly = read.filter((prefix) => !write.includes(prefix));
  if (readOnly.length > 0) statements.push({ sid: "ReadObjects", actions: ["s3:GetObject"], resources: objects(readOnly) });
  if (write.length > 0) {
    statements.push({
      sid: "ReadWriteObjects",
      actions: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      resources: objects(write),
    });
  }
  return statements;
}

function logStatements(logGroupArn: string): DataAwsIamPolicyDocumentStatement[] {
  return [
    { sid: "WriteOwnLogs", actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], resources: [logGroupArn, `${logGroupArn}:*`] },
  ];
}
