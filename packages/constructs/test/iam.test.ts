import { describe, expect, it } from "vitest";
import { resources, synthCluster } from "./synth-helpers.js";

type Statement = { sid?: string; actions: string[]; resources: string[] };

describe("IAM", () => {
  const synth = synthCluster();
  const roles = Object.entries(resources(synth, "aws_iam_role"));
  const documents = synth.data.aws_iam_policy_document ?? {};
  /** The statements of the inline policy of the role named `nativelink-<fleet>`. */
  const statementsOf = (fleet: string): Statement[] => {
    const [roleId] = roles.find(([, role]) => role.name === `nativelink-${fleet}`)!;
    const policy = Object.values(resources(synth, "aws_iam_role_policy")).find((p) => p.role === `\${aws_iam_role.${roleId}.id}`)!;
    const documentId = /data\.aws_iam_policy_document\.([^.]+)\.json/.exec(String(policy.policy))![1]!;
    return documents[documentId]!.statement as Statement[];
  };
  const objectAccess = (fleet: string) =>
    Object.fromEntries(
      statementsOf(fleet)
        .filter((s) => s.sid !== "FindObjects" && s.actions.some((a) => a.startsWith("s3:")))
        .flatMap((s) => s.resources.map((resource) => [resource.replace(/^.*\}\//, ""), s.actions.includes("s3:PutObject") ? "read-write" : "read"])),
    );

  it("gives each fleet its own role", () => {
    expect(roles.map(([, role]) => role.name).sort()).toEqual([
      "nativelink-cas",
      "nativelink-scheduler",
      "nativelink-vpc-flow-logs",
      "nativelink-workers-arm64",
      "nativelink-workers-x86_64",
    ]);
  });

  it("limits S3 object access to the bucket prefixes each role needs; the scheduler writes the action cache", () => {
    expect(objectAccess("cas")).toEqual({ "cas/*": "read-write", "ac/*": "read-write" });
    expect(objectAccess("scheduler")).toEqual({ "cas/*": "read", "ac/*": "read-write" });
    expect(objectAccess("workers-x86_64")).toEqual({ "cas/*": "read-write", "ac/*": "read-write" });
    for (const fleet of ["cas", "scheduler", "workers-arm64"]) {
      const find = statementsOf(fleet).find((s) => s.sid === "FindObjects")!;
      expect(find).toMatchObject({
        actions: ["s3:ListBucket"],
        resources: [expect.stringMatching(/^\$\{aws_s3_bucket\.Cluster_Storage_Cas_Bucket_[A-F0-9]+\.arn\}$/)],
      });
    }
  });

  it("grants no EC2 actions and no wildcard actions or resources", () => {
    for (const fleet of ["cas", "scheduler", "workers-x86_64", "workers-arm64"]) {
      for (const statement of statementsOf(fleet)) {
        expect(statement.actions.some((action) => action.startsWith("ec2:") || action.includes("*"))).toBe(false);
        if (statement.resources.includes("*")) expect(statement.actions.every((action) => action.includes(":Describe"))).toBe(true);
      }
    }
  });

  it("lets the fleets write logs only to the deployment's log group, which has a retention", () => {
    for (const fleet of ["cas", "scheduler", "workers-x86_64"]) {
      const logs = statementsOf(fleet).find((s) => s.sid === "WriteOwnLogs")!;
      expect(logs.resources).toEqual([
        expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.Cluster_Logs_[A-F0-9]+\.arn\}$/),
        expect.stringMatching(/Cluster_Logs_[A-F0-9]+\.arn\}:\*$/),
      ]);
    }
    const groups = Object.values(resources(synth, "aws_cloudwatch_log_group")).map((group) => [group.name, group.retention_in_days]);
    expect(groups).toContainEqual(["/nativelink/nativelink", 30]);
  });

  it("lets workers complete the lifecycle actions of their own group only", () => {
    const drains = Object.values(resources(synth, "aws_iam_role_policy")).filter((policy) => policy.name === "drain");
    expect(drains).toHaveLength(2);
    const documents = Object.entries(synth.data.aws_iam_policy_document ?? {})
      .filter(([id]) => id.includes("drain-policy"))
      .map(([, doc]) => (doc.statement as Statement[])[0]!);
    expect(documents.map((statement) => statement.resources[0]).sort()).toEqual([
      expect.stringMatching(/^\$\{aws_autoscaling_group\.Cluster_workers-arm64_Group_[A-F0-9]+\.arn\}$/),
      expect.stringMatching(/^\$\{aws_autoscaling_group\.Cluster_workers-x86_64_Group_[A-F0-9]+\.arn\}$/),
    ]);
    expect(documents[0]!.actions).toEqual([
      "autoscaling:CompleteLifecycleAction",
      "autoscaling:RecordLifecycleActionHeartbeat",
      "autoscaling:SetInstanceHealth",
    ]);
    const lookup = Object.entries(synth.data.aws_iam_policy_document ?? {})
      .filter(([id]) => id.includes("drain-policy"))
      .map(([, doc]) => (doc.statement as Statement[])[1]!);
    for (const statement of lookup)
      expect(statement).toMatchObject({ sid: "FindOwnGroup", actions: ["autoscaling:DescribeAutoScalingInstances"], resources: ["*"] });
  });

  it("attaches SSM core access for Session Manager", () => {
    const attachments = Object.values(resources(synth, "aws_iam_role_policy_attachment"));
    expect(attachments).toHaveLength(4);
    for (const attachment of attachments)
      expect(attachment.policy_arn).toMatch(/^arn:\$\{data\.aws_partition\..*\.partition\}:iam::aws:policy\/AmazonSSMManagedInstanceCore$/);
  });
});
