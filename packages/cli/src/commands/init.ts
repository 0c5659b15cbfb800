// `nativelink-aws init [DIR]`: a new cdktf app that composes the published packages.
import { basename, join, resolve } from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { writePlannedFiles } from "../files.js";
import { deploymentFlag, parseFlags } from "../flags.js";
import { writeLines, type CliIo } from "../io.js";
import { packageNameFor, scaffoldFiles } from "../init/templates.js";

/** Until the first release, `npm install` in the new app cannot find the packages: say what works instead. */
export const NOT_ON_NPM = [
  "Not yet published to npm: until the first release, npm install there fails. Install the packages from tarballs instead:",
  "  in a clone of nativelink-aws: npm ci && npm run build && mkdir -p ~/nativelink-aws-packages \\",
  "    && npm pack -w packages --pack-destination ~/nativelink-aws-packages",
  "  then in the new app, all at once: npm install ~/nativelink-aws-packages/*.tgz",
];

const initFlags = z.object({
  deployment: deploymentFlag.default("nativelink"),
  force: z.boolean().default(false),
});

export function registerInit(program: Command, io: CliIo): void {
  program
    .command("init")
    .description("Scaffold a cdktf app (package.json, tsconfig.json, cdktf.json, main.ts, README.md) that deploys a NativeLinkDeployment.")
    .argument("[dir]", "directory to write into (created if missing)", ".")
    .option("--deployment <name>", "deployment name; every physical name derives from it", "nativelink")
    .option("--force", "overwrite existing files")
    .addHelpText(
      "after",
      "\nExit codes: 0 written, 2 usage error, 4 a file exists (add --force).\n\nExample:\n" +
        "  nativelink-aws init my-build-cluster && cd my-build-cluster && npm install \\\n" +
        "    && npx nativelink-aws images lock --out images.lock.json && npm run synth",
    )
    .action(async (dir: string, raw: unknown) => {
      const flags = parseFlags(initFlags, raw);
      const target = resolve(io.cwd, dir);
      const files = scaffoldFiles({ packageName: packageNameFor(basename(target)), deployment: flags.deployment });
      await writePlannedFiles(
        Object.entries(files).map(([name, content]) => ({ path: join(target, name), content })),
        { force: flags.force, cwd: io.cwd },
      );
      writeLines(io.stdout, [
        ...Object.keys(files).map((name) => `wrote ${join(target, name)}`),
        "",
        `Next: cd ${dir} && npm install, then follow README.md (preflight, images lock, certs, synth, terraform apply, bazelrc).`,
        ...NOT_ON_NPM,
      ]);
    });
}
