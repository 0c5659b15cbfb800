// The files of a new cdktf app that composes the published packages as apps/reference-deployment does.
import { randomUUID } from "node:crypto";
import { SCAFFOLD_DEPENDENCIES, SCAFFOLD_DEV_DEPENDENCIES } from "./versions.js";

export interface ScaffoldOptions {
  /** npm package name of the app. */
  readonly packageName: string;
  /** Deployment name: every physical name derives from it. */
  readonly deployment: string;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** A valid npm name from a directory name: lowercase, with runs of other characters as "-". */
export function packageNameFor(directoryName: string): string {
  const name = directoryName.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[._-]+|[-]+$/g, "");
  return name || "nativelink-deployment";
}

export function scaffoldFiles(options: ScaffoldOptions): Record<string, string> {
  return {
    "package.json": json({
      name: options.packageName,
      version: "0.0.0",
      private: true,
      type: "module",
      scripts: { build: "tsc", synth: "tsc && node dist/main.js" },
      engines: { node: ">=20.19" },
      dependencies: SCAFFOLD_DEPENDENCIES,
      devDependencies: SCAFFOLD_DEV_DEPENDENCIES,
    }),
    "tsconfig.json": json({
      compilerOptions: {
        target: "ES2022", lib: ["ES2023"], module: "NodeNext", moduleResolution: "NodeNext", strict: true,
        outDir: "dist", rootDir: ".", skipLibCheck: true, types: [],
      },
      include: ["main.ts"],
    }),
    "cdktf.json": json({
      language: "typescript", app: "node dist/main.js", output: "cdktf.out", projectId: randomUUID(),
      sendCrashReports: "false", terraformProviders: [], terraformModules: [],
    }),
    ".gitignore": "node_modules/\ndist/\ncdktf.out/\n.terraform/\n",
    "main.ts": mainTs(options.deployment),
    "README.md": readme(options),
  };
}

function mainTs(deployment: string): string {
  return `// A NativeLink cluster on AWS (https://github.com/TraceMachina/nativelink), written by \`nativelink-aws init\`.
// Import provider classes by deep path: the @cdktf/provider-aws root costs seconds and ~550 MB to load.
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { NativeLinkCluster } from "@nativelink-aws/constructs";
import { App, TerraformStack, TerraformVariable } from "cdktf";

/** Every physical name (buckets, groups, roles) derives from it; tags carry it as nativelink:deployment. */
const deployment = ${JSON.stringify(deployment)};

const app = new App();
const stack = new TerraformStack(app, "nativelink");
const variable = (name: string, description: string) => new TerraformVariable(stack, name, { type: "string", description }).stringValue;

// Credentials and region come from the environment (AWS_PROFILE, AWS_REGION), as for the AWS CLI.
new AwsProvider(stack, "aws", { defaultTags: [{ tags: { "nativelink:deployment": deployment, "managed-by": "nativelink-aws" } }] });

new NativeLinkCluster(stack, "Cluster", {
  name: deployment,
  baseDomain: variable("base_domain", "Name of an existing public Route 53 hosted zone, e.g. build.example.com."),
  images: {
    x86_64: variable("ami_id_x86_64", "AMI id of the x86_64 NativeLink image (see @nativelink-aws/ami-builder)."),
    arm64: variable("ami_id_arm64", "AMI id of the arm64 NativeLink image (see @nativelink-aws/ami-builder)."),
  },
});

app.synth();
`;
}

function readme(options: ScaffoldOptions): string {
  return `# ${options.packageName}

A [NativeLink](https://github.com/TraceMachina/nativelink) remote cache and remote execution cluster on AWS,
composed from \`@nativelink-aws/constructs\` (written by \`nativelink-aws init\`). Deployment name: \`${options.deployment}\`.

## Next steps

1. \`npm install\`
2. Create a **public** Route 53 hosted zone for your domain and delegate it (an \`NS\` record in the parent
   domain with the zone's name servers), then check: \`npx nativelink-aws preflight --domain build.example.com\`
3. \`npm run synth\` writes \`cdktf.out/stacks/nativelink/cdk.tf.json\`
4. Deploy:
   \`\`\`sh
   cd cdktf.out/stacks/nativelink
   terraform init
   terraform apply -var base_domain=build.example.com -var ami_id_x86_64=ami-… -var ami_id_arm64=ami-…
   \`\`\`
5. Point Bazel at it:
   \`\`\`sh
   terraform output -json > outputs.json
   npx nativelink-aws bazelrc --outputs outputs.json >> .bazelrc
   \`\`\`
6. \`npx nativelink-aws status --outputs outputs.json --deployment ${options.deployment}\` shows the fleets.

Change the cluster in \`main.ts\` (instance types, fleet sizes, VPC): see the props of \`NativeLinkCluster\` in the
\`@nativelink-aws/constructs\` README. Keep Terraform state somewhere safe (a remote backend) before sharing this app.

## Destroying

The buckets are protected. Empty them with \`npx nativelink-aws purge --outputs outputs.json --deployment ${options.deployment}\`,
set \`preventBucketDestroy: false\` on the cluster, synthesize and apply, then \`terraform destroy\`.
`;
}
