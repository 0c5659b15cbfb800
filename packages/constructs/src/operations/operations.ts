import type { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard/index.js";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js";
import { S3BucketMetric } from "@cdktf/provider-aws/lib/s3-bucket-metric/index.js";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic/index.js";
import { Construct } from "constructs";
import { awsContext } from "../aws-context.js";
import type { NativeLinkCluster } from "../cluster.js";
import { NativeLinkPropError } from "../errors.js";
import { deploymentTags, physicalName } from "../names.js";
import { operationsAlarms } from "./alarms.js";
import { operationsDashboard } from "./dashboard.js";

export interface NativeLinkOperationsProps {
  readonly cluster: NativeLinkCluster;
  /**
   * Lambda functions whose errors are charted and alarmed, by role, e.g.
   * `{ "scheduler-dns": dns.functionName, autoscaler: autoscaler.functionName }`.
   * @default {}
   */
  readonly functionNames?: Record<string, string>;
  /**
   * Where alarms go: an existing SNS topic's ARN, `"create"` for a new encrypted topic, or `false` for none.
   * @default "create"
   */
  readonly alarmTopic?: string | false;
  /**
   * Queued actions (all worker fleets) that raise the backlog alarm when sustained for 30 minutes.
   * @default 50
   */
  readonly queuedActionsThreshold?: number;
  /**
   * Percent of requests answered with a 5xx that raises the error-rate alarm (over 5 minutes).
   * @default 5
   */
  readonly http5xxPercentThreshold?: number;
}

/** Day-2 visibility: one dashboard per deployment, the alarms that matter, and S3 request metrics. */
export class NativeLinkOperations extends Construct {
  readonly dashboard: CloudwatchDashboard;
  readonly alarms: CloudwatchMetricAlarm[];
  /** The topic alarms publish to, if any. */
  readonly alarmTopicArn?: string;

  constructor(scope: Construct, id: string, props: NativeLinkOperationsProps) {
    super(scope, id);
    const { cluster } = props;
    const queuedActions = props.queuedActionsThreshold ?? 50;
    const http5xxPercent = props.http5xxPercentThreshold ?? 5;
    if (!(queuedActions > 0))
      throw new NativeLinkPropError(this.node.path, "queuedActionsThreshold", `${queuedActions} is not positive`, "use a number of queued actions such as 50");
    if (!(http5xxPercent > 0 && http5xxPercent <= 100))
      throw new NativeLinkPropError(this.node.path, "http5xxPercentThreshold", `${http5xxPercent} is not a percentage above 0`, "use a percentage such as 5");
    const alarmTopic = props.alarmTopic ?? "create";
    if (alarmTopic === "create") {
      this.alarmTopicArn = new SnsTopic(this, "AlarmTopic", {
        name: physicalName(cluster.name, "alarms"),
        kmsMasterKeyId: "alias/aws/sns",
        tags: deploymentTags(cluster.name),
      }).arn;
    } else if (alarmTopic !== false) {
      if (!alarmTopic.startsWith("arn:") && !alarmTopic.startsWith("${"))
        throw new NativeLinkPropError(this.node.path, "alarmTopic", `"${alarmTopic}" is not an SNS topic ARN`, 'pass the topic\'s ARN, "create" or false');
      this.alarmTopicArn = alarmTopic;
    }
    // S3 publishes request and error counts only for buckets with a metrics configuration.
    const requestMetrics = new S3BucketMetric(this, "CasRequestMetrics", { bucket: cluster.storage.casBucket.bucket.id, name: "EntireBucket" });
    const functionNames = props.functionNames ?? {};
    this.dashboard = operationsDashboard(this, cluster, awsContext(this).region, Object.values(functionNames), requestMetrics.name);
    this.alarms = operationsAlarms(this, cluster, functionNames, { queuedActions, http5xxPercent }, this.alarmTopicArn ? [this.alarmTopicArn] : []);
  }
}
