// What the constructs and the DNS updater build, in moto: the fleets' Auto Scaling groups, the private zone
// internal.DOMAIN with the scheduler's A record, and the autoscaler's metrics.
import { AutoScalingClient, CreateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, ListMetricsCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { AwsQueryProtocol } from "@aws-sdk/core/protocols";
import {
  CreateLaunchTemplateCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, Route53Client } from "@aws-sdk/client-route-53";
import { unique } from "./moto.js";

type ClientConfig = ConstructorParameters<typeof EC2Client>[0] & object;

export interface ClusterFixture {
  readonly deployment: string;
  readonly domain: string;
  readonly schedulerIp: string;
  setSchedulerRecord(ips: string[]): Promise<void>;
  putMetric(fleet: string, name: string, value: number): Promise<void>;
}

/** Groups `<deployment>-<fleet>` with the given desired capacities (a fleet left out has no group). */
export async function createCluster(config: ClientConfig, capacities: Record<string, number>, options: { record?: boolean } = {}): Promise<ClusterFixture> {
  const ec2 = new EC2Client(config);
  const autoScaling = new AutoScalingClient(config);
  const route53 = new Route53Client(config);
  const cloudWatch = queryProtocolCloudWatch(config);
  const id = unique();
  const deployment = `st${id}`;
  const domain = `${deployment}.example.com`;

  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.30.0.0/16" }));
  const vpcId = vpc.Vpc?.VpcId ?? "";
  const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.30.1.0/24", AvailabilityZone: "us-east-1a" }));
  const images = await ec2.send(new DescribeImagesCommand({}));
  const templateName = `lt-${id}`;
  await ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: templateName,
      LaunchTemplateData: { ImageId: images.Images?.[0]?.ImageId, InstanceType: "t4g.small" },
    }),
  );
  for (const [fleet, desired] of Object.entries(capacities)) {
    await autoScaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: `${deployment}-${fleet}`,
        LaunchTemplate: { LaunchTemplateName: templateName, Version: "$Latest" },
        MinSize: 0,
        MaxSize: 10,
        DesiredCapacity: desired,
        VPCZoneIdentifier: subnet.Subnet?.SubnetId,
      }),
    );
  }
  const scheduler = await autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [`${deployment}-scheduler`] }));
  const schedulerInstanceId = scheduler.AutoScalingGroups?.[0]?.Instances?.[0]?.InstanceId;
  const described = schedulerInstanceId ? await ec2.send(new DescribeInstancesCommand({ InstanceIds: [schedulerInstanceId] })) : undefined;
  const schedulerIp = described?.Reservations?.[0]?.Instances?.[0]?.PrivateIpAddress ?? "";

  const zone = await route53.send(
    new CreateHostedZoneCommand({
      Name: `internal.${domain}`,
      CallerReference: id,
      VPC: { VPCRegion: "us-east-1", VPCId: vpcId },
      HostedZoneConfig: { PrivateZone: true },
    }),
  );
  const setSchedulerRecord = async (ips: string[]) => {
    const change = {
      Action: "UPSERT" as const,
      ResourceRecordSet: { Name: `scheduler.internal.${domain}`, Type: "A" as const, TTL: 30, ResourceRecords: ips.map((Value) => ({ Value })) },
    };
    await route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zone.HostedZone?.Id, ChangeBatch: { Changes: [change] } }));
  };
  if (options.record ?? true) await setSchedulerRecord([schedulerIp]);
  const putMetric = async (fleet: string, name: string, value: number) => {
    await cloudWatch.send(
      new PutMetricDataCommand({
        Namespace: "NativeLink",
        MetricData: [
          {
            MetricName: name,
            Value: value,
            Timestamp: new Date(),
            Dimensions: [
              { Name: "Deployment", Value: deployment },
              { Name: "Fleet", Value: fleet },
            ],
          },
        ],
      }),
    );
  };
  return { deployment, domain, schedulerIp, setSchedulerRecord, putMetric };
}

/**
 * A CloudWatch client speaking the Query protocol. The SDK's default is JSON, which moto parses only with a
 * botocore that knows it (1.37+); the shared venv may hold an older one (checkov pins boto3 1.35). Query
 * works with both, so fixtures and the direct metric tests use it.
 */
export function queryProtocolCloudWatch(config: ClientConfig): CloudWatchClient {
  return new CloudWatchClient({ ...config, protocol: AwsQueryProtocol });
}

/** Whether this moto parses CloudWatch's JSON protocol, which the CLI's default client speaks. */
export async function motoSpeaksCloudWatchJson(config: ClientConfig): Promise<boolean> {
  const client = new CloudWatchClient(config);
  try {
    await client.send(new ListMetricsCommand({ Namespace: "NativeLink" }));
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}
