#!/usr/bin/env node
// @ts-check
// Bundles a Lambda handler (TypeScript entry, AWS SDK v3 inside) into one minified ESM file and a deterministic zip:
//   node tools/lambda/bundle-lambda.mjs <entry.ts> <outdir>   →   <outdir>/index.mjs, <outdir>/handler.zip
// Run from the package directory; the Lambda handler setting is then "index.handler".
// Two size measures keep cold starts short: unused SDK schemas are tree-shaken (sdk-schema-plugin.mjs), and the
// default credential chain is replaced by environment credentials, which is what Lambda provides (env-credentials.mjs).
import { build } from "esbuild";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { inlineSdkSchemaKeys } from "./sdk-schema-plugin.mjs";
import { createZip } from "./zip.mjs";

const toolsDir = dirname(fileURLToPath(import.meta.url));

const [entry, outdir] = process.argv.slice(2);
if (!entry || !outdir) {
  process.stderr.write("usage: bundle-lambda.mjs <entry.ts> <outdir>\n");
  process.exit(2);
}

const bundlePath = join(resolve(outdir), "index.mjs");
mkdirSync(resolve(outdir), { recursive: true });
await build({
  entryPoints: [resolve(entry)],
  outfile: bundlePath,
  bundle: true,
  platform: "node",
  target: "node22",
  format: "esm",
  minify: true,
  // Prefer the ES module builds of the SDK: they tree-shake; the CommonJS ones do not.
  mainFields: ["module", "main"],
  // Some bundled CommonJS code calls require() for Node built-ins, which an ES module lacks.
  banner: { js: 'import{createRequire as __createRequire}from"node:module";const require=__createRequire(import.meta.url);' },
  legalComments: "none",
  plugins: [inlineSdkSchemaKeys],
  alias: { "@aws-sdk/credential-provider-node": join(toolsDir, "env-credentials.mjs") },
  logLevel: "warning",
});

const bundle = readFileSync(bundlePath);
const zip = createZip([{ name: "index.mjs", data: bundle }]);
writeFileSync(join(resolve(outdir), "handler.zip"), zip);
process.stderr.write(`bundled ${entry}: index.mjs ${bundle.length} B (${gzipSync(bundle).length} B gzipped), handler.zip ${zip.length} B\n`);
