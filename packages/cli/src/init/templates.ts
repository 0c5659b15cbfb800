// The files of a new cdktf app: NativeLinkDeployment, as apps/reference-deployment and examples/quick-start use it.
import { DEFAULT_DEPLOYMENT_NAME } from "@nativelink-aws/conventions";
import { randomUUID } from "node:crypto";
import { SUPPORTED_NODE_RANGE } from "../node-support.js";
import { SCAFFOLD_DEPENDENCIES, SCAFFOLD_DEV_DEPENDENCIES } from "./versions.js";

export interface ScaffoldOptions {
  /** npm package name of the app. */
  readonly packageName: string;
  /** Deployment name: every physical name derives from it. */
  readonly deployment: string;
}

/** The deployment name the quick start leaves implicit (NativeLinkDeployment's default). */
const DEFAULT_DEPLOYMENT = DEFAULT_DEPLOYMENT_NAME;

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** A valid npm name from a directory name: lowercase, with runs of other characters as "-". */
export function packageNameFor(directoryName: string): string {
  const name = directoryName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+|[-]+$/g, "");
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
      engines: { node: SUPPORTED_NODE_RANGE },
      dependencies: SCAFFOLD_DEPENDENCIES,
      devDependencies: SCAFFOLD_DEV_DEPENDENCIES,
    }),
    "tsconfig.json": json({
      compilerOptions: {
        target: "ES2022",
        lib: ["ES2023"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        outDir: "dist",
        rootDir: ".",
        skipLibCheck: true,
        types: ["node"],
      },
      include: ["main.ts"],
    }),
    "cdktf.json": json({
      language: "typescript",
      app: "node dist/main.js",
      output: "cdktf.out",
      projectId: randomUUID(),
      sendCrashReports: "false",
      terraformProviders: [],
      terraformModules: [],
    }),
    // State holds secrets and lives beside main.ts (the local backend's relative path): never commit it.
    ".gitignore": "node_modules/\ndist/\ncdktf.out/\n.terraform/\n*.tfstate\n*.tfstate.*\n",
    "main.ts": mainTs(options.deployment),
    "README.md": readme(options),
  };
}

/**
 * `examples/quick-start/main.ts` of the repository, with `name` when the deployment is not the default one (a test
 * keeps the two equal).
 */
export function mainTs(deployment: string): string {
  const nameLine = deployment === DEFAULT_DEPLOYMENT ? "" : `    name: ${JSON.stringify(deployment)}, // every physical name derives from it\n`;
  return `// A NativeLink remote cache and remote execution cluster on AWS (https://github.com/TraceMachina/nativelink).
// Import provider classes by deep path: the @cdktf/provider-aws root costs seconds and ~550 MB to load.
import { fileURLToPath } from "node:url";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { NativeLinkDeployment } from "@nativelink-aws/deployment";
import { App, LocalBackend, TerraformStack, TerraformVariable } from "cdktf";

/** The stack \`nativelink\`: network, images, cluster, scheduler DNS, autoscaler, dashboard and alarms, wired. */
export function quickStart(app: App): TerraformStack {
  const stack = new TerraformStack(app, "nativelink");
  // Terraform runs in cdktf.out/stacks/nativelink: this keeps the state beside main.ts, where synthesis never deletes it.
  new LocalBackend(stack, { path: "../../../terraform.nativelink.tfstate" });
  // Credentials and region come from the environment (AWS_PROFILE, AWS_REGION), as for the AWS CLI.
  new AwsProvider(stack, "aws", {});
  const baseDomain = new TerraformVariable(stack, "base_domain", {
    type: "string",
    description: "An existing public Route 53 hosted zone, e.g. build.example.com.",
  });
  new NativeLinkDeployment(stack, "NativeLink", {
${nameLine}    baseDomain: baseDomain.stringValue,
    images: { lockFile: "images.lock.json" }, // written by \`npx nativelink-aws images lock --out images.lock.json\`
    // Both listeners verify client certificates against client-ca/, which \`nativelink-aws certs publish\` writes (clientCa).
  });
  return stack;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const app = new App();
  quickStart(app);
  app.synth();
}
`;
}

function readme(options: ScaffoldOptions): string {
  const outputs = `--outputs outputs.json --deployment ${options.deployment}`;
  return `# ${options.packageName}

A [NativeLink](https://github.com/TraceMachina/nativelink) remote cache and remote execution cluster on AWS,
composed by \`NativeLinkDeployment\` of \`@nativelink-aws/deployment\` (written by \`nativelink-aws init\`).
Deployment name: \`${options.deployment}\`.

## Steps, in order

Needs Node.js 22.13+ or 24+, Terraform 1.5+, AWS credentials (\`AWS_PROFILE\` or keys, and \`AWS_REGION\`) and a domain.

1. \`npm install\` (until the packages are published to npm, install the tarballs that \`npm pack\` wrote in a clone
   of nativelink-aws instead, all at once: \`npm install ~/nativelink-aws-packages/*.tgz\`; its package READMEs say how)
2. Create a **public** Route 53 hosted zone for your domain and delegate it (an \`NS\` record in the parent
   domain with the zone's name servers), then check: \`npx nativelink-aws preflight --domain build.example.com\`
3. Pin the releases the images bake, verified against what their publishers publish, and commit the file:
   \`npx nativelink-aws images lock --out images.lock.json\`
4. Create the client CAs, once (their private keys stay in \`~/.nativelink-aws/${options.deployment}/pki\`: back that up
   offline, never commit it), and publish their public half into this folder, then commit \`client-ca/\`:
   \`\`\`sh
   npx nativelink-aws certs init --deployment ${options.deployment}
   npx nativelink-aws certs publish --deployment ${options.deployment} --out client-ca
   \`\`\`
   Only clients with a certificate get in: a developer's reads the cache and runs actions, CI's also writes the cache.
   \`\`\`sh
   npx nativelink-aws certs issue --deployment ${options.deployment} --name alice@example.com --kind developer --out ~/certs/alice
   npx nativelink-aws certs issue --deployment ${options.deployment} --name github-actions --kind ci --out ~/certs/github-actions
   \`\`\`
5. \`npm run synth\` writes \`cdktf.out/stacks/nativelink/cdk.tf.json\` (without steps 3 and 4 it warns, and
   \`terraform plan\` stops with the commands to run)
6. Deploy (the state goes to \`terraform.nativelink.tfstate\` beside \`main.ts\`; keep it safe, out of git):
   \`\`\`sh
   cd cdktf.out/stacks/nativelink
   terraform init
   terraform apply -var base_domain=build.example.com
   \`\`\`
7. Point Bazel at it, with your certificate (CI: \`--role ci --client-dir ~/certs/github-actions\`):
   \`\`\`sh
   terraform output -json > outputs.json
   npx nativelink-aws bazelrc --outputs outputs.json --client-dir ~/certs/alice >> .bazelrc
   \`\`\`
8. \`npx nativelink-aws status ${outputs}\` shows the fleets. To revoke a certificate, run
   \`npx nativelink-aws certs revoke --deployment ${options.deployment} --name alice@example.com\`, publish again, synthesize and apply.

Change the deployment in \`main.ts\` (fleet sizes, VPC, mutual TLS, …): see the props of \`NativeLinkDeployment\` in
the \`@nativelink-aws/deployment\` README.

## Destroying

The buckets are protected. First lift the protection: add \`cluster: { preventBucketDestroy: false }\` to the
\`NativeLinkDeployment\` props in \`main.ts\`. Then, from this folder:

\`\`\`sh
npm run synth
cd cdktf.out/stacks/nativelink
npx nativelink-aws purge ${outputs}     # counts, then asks you to type each bucket's name
terraform destroy -var base_domain=build.example.com
\`\`\`

If \`terraform destroy\` stops at \`BucketNotEmpty\` (something wrote to a bucket after the purge, such as the load
balancer's access logs), run the purge again, then \`terraform destroy\` again.
`;
}
