import { describe, expect, it } from "vitest";
import { synthCluster, TEST_IMAGES } from "./synth-helpers.js";

describe("prop validation names the prop and the fix", () => {
  const cases: [string, Parameters<typeof synthCluster>[0], string][] = [
    [
      "name",
      { name: "Bad_Name" },
      `Bad_Name/Cluster: invalid prop 'name': "Bad_Name" is not 2-20 lowercase letters, ` +
        `digits or hyphens, starting with a letter and not ending with a hyphen. Fix: use a short DNS-style name such as "nativelink" or "ci-cache".`,
    ],
    [
      "images",
      { images: { ...TEST_IMAGES, arm64: "" } },
      "test/Cluster: invalid prop 'images.arm64': no AMI id is given. Fix: pass the AMI " +
        "ids built by @nativelink-aws/ami-builder, or existing ones, for both architectures.",
    ],
    [
      "vpc with existingNetwork",
      { vpc: {}, existingNetwork: { vpcId: "v", vpcCidrBlock: "10.0.0.0/16", publicSubnetIds: [], privateSubnetIds: [], internetEgress: false } },
      "test/Cluster: invalid prop 'vpc': both vpc and existingNetwork are set. Fix: set vpc to configure a new VPC, or existingNetwork to use yours, not both.",
    ],
    [
      "worker without NVMe",
      { workers: { arm64: { instanceTypes: ["c7g.medium"] } } },
      `test/Cluster: invalid prop 'workers.arm64.instanceTypes': c7g.medium has no NVMe instance storage, which workers ` +
        `use for their cache and work directory. Fix: choose a type with local disks, e.g. the "d" variant of the family.`,
    ],
    [
      "worker of the wrong architecture",
      { workers: { x86_64: { instanceTypes: ["c6gd.large"] } } },
      "test/Cluster: invalid prop 'workers.x86_64.instanceTypes': c6gd.large is arm64 but this fleet runs x86_64 images. Fix: choose x86_64 instance types.",
    ],
    [
      "unknown instance type",
      { cas: { instanceTypes: ["u-6tb1.metal"] } },
      `test/Cluster: invalid prop 'cas.instanceTypes': cannot derive vCPUs and memory of "u-6tb1.metal". ` +
        `Fix: pass { instanceType: "u-6tb1.metal", weight: N } with an explicit weight.`,
    ],
    [
      "bad weight",
      { workers: { x86_64: { instanceTypes: [{ instanceType: "m6id.large", weight: 0 }] } } },
      "test/Cluster: invalid prop 'workers.x86_64.instanceTypes': weight 0 of m6id.large is not a " +
        "whole number from 1 to 999. Fix: give each weight as the capacity units one instance provides.",
    ],
    [
      "negative minimum",
      { workers: { arm64: { minVcpus: -1 } } },
      "test/Cluster: invalid prop 'workers.arm64.minVcpus': -1 is not a whole number ≥ 0. Fix: use a whole number of at least 0.",
    ],
    [
      "max below min",
      { workers: { arm64: { minVcpus: 10, maxVcpus: 5 } } },
      "test/Cluster: invalid prop 'workers.arm64.maxVcpus': 5 is below minVcpus 10. Fix: make maxVcpus at least minVcpus.",
    ],
    [
      "CAS sizes that cannot fit",
      { cas: { instanceTypes: ["r6g.medium", "r6g.4xlarge"], minInstances: 2, maxInstances: 2 } },
      "test/Cluster: invalid prop 'cas.maxInstances': 2 instances of the lightest type (45 units) " +
        "cannot hold 2 of the heaviest (795 units). Fix: raise cas.maxInstances or choose instance types of similar size.",
    ],
    [
      "scheduler architecture",
      { scheduler: { instanceType: "c6i.xlarge", architecture: "arm64" } },
      `test/Cluster: invalid prop 'scheduler.architecture': c6i.xlarge is x86_64, ` +
        `not arm64. Fix: set scheduler.architecture to "x86_64" or choose a arm64 type.`,
    ],
    [
      "domain",
      { baseDomain: "Example.COM." },
      `test/Cluster/Endpoints: invalid prop 'baseDomain': "Example.COM." is not a lowercase domain name. ` +
        `Fix: pass the public hosted zone's name without a trailing dot, e.g. "build.example.com".`,
    ],
    [
      "domain prefix",
      { casDomainPrefix: "cas.cache" },
      `test/Cluster/Endpoints: invalid prop 'casDomainPrefix': "cas.cache" is not a ` +
        `single lowercase DNS label. Fix: use letters, digits and hyphens only, e.g. "cas".`,
    ],
    [
      "zones",
      { vpc: { availabilityZoneCount: 1 } },
      "test/Cluster/Network: invalid prop 'availabilityZoneCount': 1 is not a whole " +
        "number from 2 to 6. Fix: use 2 (the load balancer needs two zones) or up to 6.",
    ],
    [
      "cidr",
      { vpc: { cidrBlock: "10.0.0.0/8" } },
      `test/Cluster/Network: invalid prop 'cidrBlock': "10.0.0.0/8" is not an IPv4 CIDR from /16 to /24. Fix: use a private range such as "10.0.0.0/16".`,
    ],
  ];

  it.each(cases)("%s", (_label, props, message) => {
    expect(() => synthCluster(props)).toThrow(message);
  });
});
