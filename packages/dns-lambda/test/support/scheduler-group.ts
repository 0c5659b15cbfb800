// Builds, in moto, what the cluster constructs build on AWS: a VPC, the private zone internal.DOMAIN and the
// scheduler's Auto Scaling group. Names are unique per call, so test files can share one moto server.
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  SetDesiredCapacityCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import {
  CreateLaunchTemplateCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, ListResourceRecordSetsCommand, Route53Client } from "@aws-sdk/client-route-53";
import { randomUUID } from "node:crypto";

export interface SchedulerGroup {
  readonly groupName: string;
  readonly hostedZoneId: string;
  readonly recordName: string;
  /** InService instance ids, oldest first. */
  instanceIds(): Promise<string[]>;
  privateIp(instanceId: string): Promise<string>;
  /** The A record's values and TTL as moto's Route 53 holds them, or null. */
  readRecord(): Promise<{ ips: string[]; ttl: number | undefined } | null>;
  writeRecord(ips: string[], ttl: number): Promise<void>;
  /** Terminates an instance; the group launches its replacement. */
  replace(instanceId: string): Promise<void>;
  setCapacity(count: number): Promise<void>;
}

export async function createSchedulerGroup(endpoint: string, options: { instances: number }): Promise<SchedulerGroup> {
  const common = { endpoint, region: "us-east-1", credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
  const ec2 = new EC2Client(common);
  const autoScaling = new AutoScalingClient(common);
  const route53 = new Route53Client(common);
  const unique = randomUUID().slice(0, 8);
  const domain = `d${unique}.example.com`;

  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.20.0.0/16" }));
  const vpcId = vpc.Vpc?.VpcId ?? "";
  const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.20.1.0/24", AvailabilityZone: "us-east-1a" }));
  const zone = await route53.send(
    new CreateHostedZoneCommand({
      Name: `internal.${domain}`,
      CallerReference: unique,
      VPC: { VPCRegion: "us-east-1", VPCId: vpcId },
      HostedZoneConfig: { PrivateZone: true, Comment: "test" },
    }),
  );
  const hostedZoneId = (zone.HostedZone?.Id ?? "").replace("/hostedzone/", "");
  const images = await ec2.send(new DescribeImagesCommand({}));
  const imageId = images.Images?.[0]?.ImageId ?? "";
  const templateName = `scheduler-${unique}`;
  await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: templateName, LaunchTemplateData: { ImageId: imageId, InstanceType: "t4g.small" } }));
  const groupName = `nativelink-scheduler-${unique}`;
  await autoScaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: groupName,
      LaunchTemplate: { LaunchTemplateName: templateName, Version: "$Latest" },
      MinSize: 0,
      MaxSize: 2,
      DesiredCapacity: options.instances,
      VPCZoneIdentifier: subnet.Subnet?.SubnetId ?? "",
    }),
  );
  const recordName = `scheduler.internal.${domain}`;

  return {
    groupName,
    hostedZoneId,
    recordName,
    async instanceIds() {
      const groups = await autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName] }));
      return (groups.AutoScalingGroups?.[0]?.Instances ?? [])
        .filter((instance) => instance.LifecycleState === "InService")
        .map((instance) => instance.InstanceId ?? "");
    },
    async privateIp(instanceId) {
      const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
      return described.Reservations?.[0]?.Instances?.[0]?.PrivateIpAddress ?? "";
    },
    async readRecord() {
      const listed = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: hostedZoneId }));
      const record = listed.ResourceRecordSets?.find((set) => set.Type === "A" && set.Name?.replace(/\.$/, "") === recordName);
      return record ? { ips: (record.ResourceRecords ?? []).map((value) => value.Value ?? "").sort(), ttl: record.TTL } : null;
    },
    async writeRecord(ips, ttl) {
      const change = {
        Action: "UPSERT" as const,
        ResourceRecordSet: { Name: recordName, Type: "A" as const, TTL: ttl, ResourceRecords: ips.map((ip) => ({ Value: ip })) },
      };
      await route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: hostedZoneId, ChangeBatch: { Changes: [change] } }));
    },
    async replace(instanceId) {
      await autoScaling.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: instanceId, ShouldDecrementDesiredCapacity: false }));
    },
    async setCapacity(count) {
      await autoScaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: groupName, DesiredCapacity: count }));
    },
  };
}
