#!/usr/bin/env node
// Rewrites every README code block marked `<!-- example: examples/x/main.ts[#region] -->` from its example file, the
// way examples/test/readme-examples.test.ts compares them (whole file without region markers, or a region's lines
// without their common indentation). Run after changing or formatting an example: `npm run docs:examples`.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const MARKED_BLOCK = /(<!-- example: ([^#\s]+)(?:#([\w-]+))? -->\n```ts\n)([\s\S]*?)(\n```)/g;

/** @param {string} file @param {string} region @param {string} path */
function excerpt(file, region, path) {
  const lines = file.split("\n");
  const start = lines.findIndex((line) => line.trim() === `// example:start ${region}`);
  const end = lines.findIndex((line) => line.trim() === `// example:end ${region}`);
  if (start < 0 || end < start) throw new Error(`${path} has no region ${region}`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((line) => line.trim()).map((line) => (/^ */.exec(line)?.[0] ?? "").length));
  return body.map((line) => line.slice(indent)).join("\n");
}

/** @type {(file: string, region: string | undefined, path: string) => string} */
const shown = (file, region, path) =>
  region
    ? excerpt(file, region, path)
    : file
        .split("\n")
        .filter((line) => !/^\s*\/\/ example:(start|end) [\w-]+$/.test(line))
        .join("\n")
        .replace(/\n$/, "");

const readmes = [
  "README.md",
  "examples/README.md",
  ...["packages", "apps"].flatMap((dir) => readdirSync(join(root, dir)).map((name) => `${dir}/${name}/README.md`)),
];
for (const readme of readmes) {
  let text;
  try {
    text = readFileSync(join(root, readme), "utf8");
  } catch {
    continue;
  }
  const updated = text.replace(
    MARKED_BLOCK,
    (
      /** @type {string} */ _all,
      /** @type {string} */ head,
      /** @type {string} */ path,
      /** @type {string | undefined} */ region,
      /** @type {string} */ _block,
      /** @type {string} */ tail,
    ) => head + shown(readFileSync(join(root, path), "utf8"), region, path) + tail,
  );
  if (updated !== text) {
    writeFileSync(join(root, readme), updated);
    console.log(`updated ${readme}`);
  }
}
