// The root README's "Deploy from zero", read as a reader follows it: the steps in order, the Terraform version the
// stack requires, and every `cd` walked from the repository root into a folder that exists or that synthesis creates.
import { existsSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MINIMUM_TERRAFORM_VERSION } from "../src/reference-deployment.js";

const appRoot = fileURLToPath(new URL("..", import.meta.url));
const repositoryRoot = join(appRoot, "../..");
const rootReadme = readFileSync(join(repositoryRoot, "README.md"), "utf8");
const appReadme = readFileSync(join(appRoot, "README.md"), "utf8");

/** The text from `heading` to the next heading of the same level. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  expect(start, heading).toBeGreaterThan(-1);
  const level = heading.split(" ")[0]!;
  const end = markdown.indexOf(`\n${level} `, start + heading.length + 2);
  return markdown.slice(start, end === -1 ? undefined : end);
}

/** The command lines of the fenced shell blocks, in order, without comments. */
function shellLines(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^ *```sh\n([\s\S]*?)^ *```$/gm)].map((match) => match[1]!);
  return blocks.flatMap((block) =>
    block
      .replace(/\\\n\s*/g, " ")
      .split("\n")
      .map((line) => line.replace(/\s+#.*$/, "").trim())
      .filter((line) => line !== "" && !line.startsWith("#")),
  );
}

const deploy = section(rootReadme, "## Deploy from zero");
/** The stack id of src/main.ts: its stack folder, cdktf.out/stacks/<id>, exists once `npm run synth` ran. */
const stackId = /new ReferenceDeployment\(app, "([^"]+)"/.exec(readFileSync(join(appRoot, "src/main.ts"), "utf8"))![1]!;
const stackFolder = `apps/reference-deployment/cdktf.out/stacks/${stackId}`;

/** Each command of the section with the folder it runs in (relative to the repository root), following every `cd`. */
function walk(): { command: string; cwd: string }[] {
  const steps: { command: string; cwd: string }[] = [];
  let cwd: string | undefined;
  for (const line of shellLines(deploy)) {
    for (const command of line.split(/\s*&&\s*/)) {
      if (command.startsWith("git clone ")) {
        // `git clone URL nativelink-aws && cd nativelink-aws`: the clone is the repository root.
        expect(command).toMatch(/ nativelink-aws$/);
        cwd = "<before clone>";
        continue;
      }
      const cd = /^cd (\S+)$/.exec(command);
      if (cd) {
        cwd = cwd === "<before clone>" ? (cd[1] === "nativelink-aws" ? "." : "<elsewhere>") : posix.normalize(posix.join(cwd ?? ".", cd[1]!));
        expect(cwd, `cd ${cd[1]} leaves the repository`).not.toMatch(/^\.\.|<elsewhere>/);
        const exists = existsSync(join(repositoryRoot, cwd)) || cwd === stackFolder;
        expect(exists, `cd ${cd[1]} (${cwd}): no such folder, and synthesis does not create it`).toBe(true);
        continue;
      }
      steps.push({ command, cwd: cwd ?? "." });
    }
  }
  return steps;
}

describe('root README, "Deploy from zero"', () => {
  let walked: ReturnType<typeof walk> | undefined;
  const allSteps = () => (walked ??= walk());
  const where = (pattern: RegExp) => allSteps().filter((step) => pattern.test(step.command));

  it("has the steps in order: build, preflight, images lock, certs, synth, terraform, bazelrc, bazel, purge, destroy", () => {
    const order = [
      /^npm ci$/,
      /^npm run build$/,
      /^npx nativelink-aws preflight /,
      /^npx nativelink-aws images lock /,
      /^npx nativelink-aws certs init /,
      /^npx nativelink-aws certs publish /,
      /^npx nativelink-aws certs issue /,
      /^terraform init$/,
      /^terraform apply -var base_domain=/,
      /^terraform output -json > outputs\.json$/,
      /^npx nativelink-aws bazelrc /,
      /^bazel build /,
      /^npm run synth$/,
      /^npx nativelink-aws purge /,
      /^terraform destroy -var base_domain=/,
    ];
    const steps = allSteps();
    let from = 0;
    for (const pattern of order) {
      const index = steps.findIndex((step, position) => position >= from && pattern.test(step.command));
      expect(index, `${pattern} after ${JSON.stringify(steps[from - 1]?.command)}`).toBeGreaterThanOrEqual(from);
      from = index + 1;
    }
    // Step 7 says `npm run synth` in prose, between the certificates and `terraform init`.
    expect(deploy.indexOf("`npm run synth`")).toBeGreaterThan(deploy.indexOf("certs issue"));
    expect(deploy.indexOf("`npm run synth`")).toBeLessThan(deploy.indexOf("terraform init"));
  });

  it("runs every command in the right folder", () => {
    for (const step of allSteps().filter((step) => step.command !== "npm ci" && !step.command.startsWith("export "))) {
      if (/^(npm|npx) /.test(step.command) && !step.command.includes("purge")) expect(step.cwd, step.command).toBe(".");
      if (step.command.startsWith("terraform ")) expect(step.cwd, step.command).toBe(stackFolder);
      if (step.command.startsWith("bazel ")) expect(step.cwd, step.command).toBe("tests/e2e/workspace");
    }
    // purge reads the outputs.json that step 9 wrote, in the same folder.
    expect(where(/^npx nativelink-aws purge --outputs outputs\.json$/).map((step) => step.cwd)).toEqual([stackFolder]);
    // bazelrc reads that file and writes the workspace's user.bazelrc, which its .bazelrc imports.
    const [bazelrc] = where(/^npx nativelink-aws bazelrc /);
    expect(bazelrc!.command).toContain(`--outputs ${stackFolder}/outputs.json`);
    expect(bazelrc!.command).toMatch(/ > tests\/e2e\/workspace\/user\.bazelrc$/);
    expect(readFileSync(join(repositoryRoot, "tests/e2e/workspace/.bazelrc"), "utf8")).toContain("try-import %workspace%/user.bazelrc");
  });

  it("names the Terraform version the synthesized stack requires", () => {
    const minimum = /^>= (\d+\.\d+)\.0$/.exec(MINIMUM_TERRAFORM_VERSION)![1];
    const needs = `Node.js 22.13+ or 24+, Terraform ${minimum}+`;
    expect(deploy).toContain(needs);
    expect(deploy).toContain(`the synthesized stack requires\n   \`${MINIMUM_TERRAFORM_VERSION}\``);
    expect(appReadme).toContain(needs);
    // The init scaffold's README says the same (packages/cli/src/init/templates.ts).
    expect(readFileSync(join(repositoryRoot, "packages/cli/src/init/templates.ts"), "utf8")).toContain(`Needs ${needs}`);
  });

  it("tears down with the same block as the reference README", () => {
    const destroying = (markdown: string) => shellLines(markdown).filter((line) => !line.startsWith("cd ../"));
    expect(destroying(section(appReadme, "## Destroying"))).toEqual(destroying(deploy.slice(deploy.indexOf("**Tear down**"))));
    expect(deploy).toContain("BucketNotEmpty");
  });
});

describe("npm run synth", () => {
  it("compiles src/ before it synthesizes, from any folder of the app (an edit to src/main.ts is never ignored)", () => {
    const manifest = JSON.parse(readFileSync(join(appRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(manifest.scripts.synth).toBe("tsc -p tsconfig.lib.json && node dist/main.js");
    expect(existsSync(join(appRoot, "tsconfig.lib.json"))).toBe(true);
  });
});
