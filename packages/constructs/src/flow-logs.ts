import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { Construct } from "constructs";
import { awsContext } from "./aws-context.js";
import { deploymentTags, physicalName } from "./names.js";

export interface VpcFlowLogsProps {
  readonly name: string;
  readonly vpcId: string;
  /** `REJECT` records refused connections only (cheap, what an investigation needs first); `ALL` everything. */
  readonly trafficType: "REJECT" | "ALL";
  readonly retentionDays: number;
}

/** VPC flow logs to a CloudWatch log group with a retention, written by a role scoped to that group. */
export class VpcFlowLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    const { dnsSuffix } = awsContext(this);
    const tags = deploymentTags(props.name);
    this.logGroup = new CloudwatchLogGroup(this, "Logs", { name: `/${props.name}/vpc-flow-logs`, retentionInDays: props.retentionDays, tags });
    const assume = new DataAwsIamPolicyDocument(this, "AssumeRole", {
      statement: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: [`vpc-flow-logs.${dnsSuffix}`] }] }],
    });
    const role = new IamRole(this, "Role", { name: physicalName(props.name, "vpc-flow-logs"), assumeRolePolicy: assume.json, tags });
    const write = new DataAwsIamPolicyDocument(this, "Write", {
      statement: [
        {
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: [this.logGroup.arn, `${this.logGroup.arn}:*`],
        },
      ],
    });
    new IamRolePolicy(this, "Policy", { name: "write-flow-logs", role: role.id, policy: write.json });
    new FlowLog(this, "FlowLog", {
      vpcId: props.vpcId,
      trafficType: props.trafficType,
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 600,
      tags: { ...tags, Name: physicalName(props.name, "flow-logs") },
    });
  }
}
