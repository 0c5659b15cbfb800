// The packages as their users meet them: entry points that load and export what is documented (and not internals),
// one prop error for every construct, the package graph docs/DESIGN.md draws, and output names both sides agree on.
import { readFileSync, readdirSync } from "node:fs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { NativeLinkImage } from "@nativelink-aws/ami-builder";
import { WorkerAutoscaler } from "@nativelink-aws/autoscaler";
import { parseTerraformOutputs } from "@nativelink-aws/cli";
import { NativeLinkCluster } from "@nativelink-aws/constructs";
import { CLUSTER_OUTPUTS, NativeLinkPropError } from "@nativelink-aws/conventions";
import { NativeLinkDeployment } from "@nativelink-aws/deployment";
import { SchedulerDnsRecord } from "@nativelink-aws/dns-lambda";
import { TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { FIXTURE_CLIENT_CA, FIXTURE_LOCK } from "./synthesize.js";

const root = new URL("../../", import.meta.url);
const manifest = (dir: string) =>
  JSON.parse(readFileSync(new URL(`${dir}/package.json`, root), "utf8")) as {
    name: string;
    exports?: Record<string, unknown>;
    dependencies?: Record<string, string>;
  };
const packageDirs = readdirSync(new URL("packages/", root)).map((name) => `packages/${name}`);

/** Names each entry point must export, and internals it must not. */
const ENTRY_POINTS: Record<string, { exports: string[]; internals?: string[] }> = {
  "@nativelink-aws/conventions": { exports: ["NativeLinkPropError", "checkDeploymentName", "drainHookName", "CLUSTER_OUTPUTS", "ROLE_ENV_KEYS"] },
  "@nativelink-aws/conventions/lambda-handler": { exports: ["logJson", "describeIssue", "formatIssues"] },
  "@nativelink-aws/conventions/lambda-construct": { exports: ["readHandlerBundle", "handlerFunctionCode", "lambdaAssumeRolePolicy", "propErrorFromIssues"] },
  "@nativelink-aws/nativelink-config": { exports: ["parseConfig", "renderConfig", "casConfig", "BOOT_ENV"] },
  "@nativelink-aws/constructs": {
    exports: ["NativeLinkCluster", "NativeLinkNetwork", "NativeLinkChecks", "NativeLinkPropError", "readClientCaDirectory", "userDataText"],
    internals: ["terraformBase64", "bootUserData", "blocks", "isTrue", "isPrivateCidr", "drainLifecycleHookName", "packageName"],
  },
  "@nativelink-aws/ami-builder": {
    exports: ["NativeLinkImage", "NativeLinkPropError", "readImagesLockFile", "ARCHITECTURES"],
    internals: ["NativeLinkImagePropError", "packageName"],
  },
  "@nativelink-aws/autoscaler": {
    exports: ["WorkerAutoscaler", "NativeLinkPropError", "defaultBundlePath"],
    internals: ["simulate", "parseFeed", "autoscalerPolicy", "autoscalerPolicyController", "METRIC_NAMESPACE", "packageName"],
  },
  "@nativelink-aws/autoscaler/simulator": {
    exports: ["simulate", "autoscalerPolicyController", "decideCapacity", "comparePolicies", "generateTrace", "evaluateDay", "withWarmPool"],
    internals: ["WorkerAutoscaler", "autoscalerPolicy"],
  },
  "@nativelink-aws/autoscaler/handler": { exports: ["parseFeed", "loadConfig", "metricDatums"], internals: ["WorkerAutoscaler", "simulate"] },
  "@nativelink-aws/dns-lambda": {
    exports: ["SchedulerDnsRecord", "DNS_RECORD_WRITER_TAG", "NativeLinkPropError", "defaultBundlePath"],
    internals: ["decide", "parseTrigger", "loadConfig", "packageName"],
  },
  "@nativelink-aws/deployment": { exports: ["NativeLinkDeployment", "NativeLinkPropError"], internals: ["packageName"] },
  "@nativelink-aws/cli": { exports: ["run", "createProgram", "parseTerraformOutputs"], internals: ["packageName"] },
};

describe("entry points", () => {
  const declared = packageDirs.flatMap((dir) => {
    const { name, exports = {} } = manifest(dir);
    return Object.keys(exports)
      .filter((subpath) => subpath !== "./package.json")
      .map((subpath) => `${name}${subpath.slice(1)}`);
  });

  it("are exactly the documented ones", () => {
    expect(declared.sort()).toEqual(Object.keys(ENTRY_POINTS).sort());
  });

  it.each(Object.entries(ENTRY_POINTS))("%s loads, exports its names and hides internals", async (specifier, { exports, internals = [] }) => {
    const module = (await import(specifier)) as Record<string, unknown>;
    for (const name of exports) expect(module[name], name).toBeDefined();
    for (const name of internals) expect(module[name], name).toBeUndefined();
    // One error type: every re-export is conventions' class itself, so `instanceof` catches all of them.
    if ("NativeLinkPropError" in module) expect(module.NativeLinkPropError).toBe(NativeLinkPropError);
  });
});

describe("a bad prop, in every package that has constructs", () => {
  const stack = () => new TerraformStack(Testing.app(), "props");
  const thrown = (make: () => unknown): NativeLinkPropError => {
    try {
      make();
    } catch (error) {
      expect(error).toBeInstanceOf(NativeLinkPropError);
      return error as NativeLinkPropError;
    }
    throw new Error("nothing was thrown");
  };
  const amiIds = { x86_64: "ami-0123456789abcdef0", arm64: "ami-0123456789abcdef1" };
  const off = { mode: "off", reason: "a props test" } as const;

  it.each([
    [
      "constructs",
      () => new NativeLinkCluster(stack(), "Cluster", { name: "a", baseDomain: "example.com", images: amiIds, clientAuthentication: off }),
      "props/Cluster",
    ],
    ["ami-builder", () => new NativeLinkImage(stack(), "Images", { name: "a", existingAmiIds: amiIds }), "props/Images"],
    [
      "autoscaler",
      () =>
        new WorkerAutoscaler(stack(), "Autoscaler", {
          name: "a",
          vpcId: "vpc-0123456789abcdef0",
          vpcCidrBlock: "10.0.0.0/16",
          subnetIds: ["subnet-0123456789abcdef0"],
          schedulerSecurityGroupId: "sg-0123456789abcdef0",
          feedUrl: "http://scheduler.internal.example.com:9464/metrics",
          fleets: { arm64: { groupName: "a-workers-arm64", groupArn: "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:x:name/g" } },
        }),
      "props/Autoscaler",
    ],
    [
      "dns-lambda",
      () =>
        new SchedulerDnsRecord(stack(), "Dns", {
          name: "a",
          hostedZoneId: "Z0123456789ABCDEFGHIJ",
          recordName: "scheduler.internal.example.com",
          schedulerAutoScalingGroupName: "a-scheduler",
        }),
      "props/Dns",
    ],
    ["deployment", () => new NativeLinkDeployment(stack(), "NativeLink", { name: "a", baseDomain: "example.com", images: { amiIds } }), "props/NativeLink"],
  ])("%s: one NativeLinkPropError with the construct path, the prop, the value and the fix", (_, make, path) => {
    const error = thrown(make);
    expect(error).toMatchObject({ constructPath: path, prop: "name", value: "a" });
    expect(error.fix).toMatch(/\S/);
    expect(error.message).toContain(`${path}: invalid prop 'name'`);
  });
});

describe("docs/DESIGN.md's package graph", () => {
  const design = readFileSync(new URL("docs/DESIGN.md", root), "utf8");
  const drawn = new Map(
    [...design.matchAll(/^\| `([a-z/-]+)`(?: \(private\))? \|.*\| ([a-z, -]*) \|$/gm)].map((row) => [
      row[1]!,
      row[2]!
        .split(",")
        .map((name) => name.trim())
        .filter((name) => name !== "" && name !== "none")
        .sort(),
    ]),
  );
  const workspaces = [...packageDirs, "apps/reference-deployment", "examples"];

  it.each(workspaces)("%s: the table's edges are its package.json dependencies", (dir) => {
    const key = dir.startsWith("packages/") ? dir.slice("packages/".length) : dir;
    const dependencies = Object.keys(manifest(dir).dependencies ?? {})
      .filter((name) => name.startsWith("@nativelink-aws/"))
      .map((name) => name.slice("@nativelink-aws/".length))
      .sort();
    expect(drawn.get(key), `${key} has no row in DESIGN.md's package table`).toEqual(dependencies);
  });
});

describe("runtime dependencies", () => {
  // The Lambda bundles carry their SDK clients (esbuild, tools/lambda/bundle-lambda.mjs); a construct user must not
  // install them again. Only the CLI, which calls AWS from Node, depends on them at run time.
  it.each(packageDirs.filter((dir) => dir !== "packages/cli"))("%s installs no AWS SDK client", (dir) => {
    expect(Object.keys(manifest(dir).dependencies ?? {}).filter((name) => name.startsWith("@aws-sdk/"))).toEqual([]);
  });
});

describe("Terraform outputs", () => {
  it("the CLI reads every output it knows from a cluster made with an outputPrefix", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "blue");
    new AwsProvider(stack, "aws", {});
    new NativeLinkDeployment(stack, "NativeLink", {
      baseDomain: "example.com",
      images: { lockFile: FIXTURE_LOCK },
      clientCa: FIXTURE_CLIENT_CA,
      cluster: { outputPrefix: "blue_" },
    });
    const synthesized = JSON.parse(Testing.synth(stack)) as { output: Record<string, { value: unknown }> };
    // `terraform output -json` has this shape, with Terraform's values where the stack has expressions.
    const outputsJson = JSON.stringify(Object.fromEntries(Object.entries(synthesized.output).map(([name, { value }]) => [name, { value }])));
    const read = parseTerraformOutputs(outputsJson, "outputs.json") as Record<string, unknown>;
    const known = Object.keys(read);
    expect(known.length).toBeGreaterThanOrEqual(8);
    for (const name of known) expect(read[name], name).toEqual(synthesized.output[`blue_${name}`]!.value);
    expect(Object.values(CLUSTER_OUTPUTS).filter((name) => !(`blue_${name}` in synthesized.output))).toEqual([]);
  });
});
