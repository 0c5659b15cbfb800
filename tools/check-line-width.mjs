#!/usr/bin/env node
// Fails when a source line is longer than the formatter's line width (biome.json). The formatter keeps code within it
// but never breaks a long string, comment or shell line, so this is what stops such lines from coming back.
// Usage: node tools/check-line-width.mjs [directory…] (default: the current directory); Git's view of the files
// (tracked and new, not ignored). Markdown, JSON and fixtures are not checked: prose and data have no line width.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const biome = JSON.parse(readFileSync(new URL("../biome.json", import.meta.url), "utf8"));
const MAX = biome.formatter.lineWidth;
const CODE = /\.(ts|mts|cts|js|mjs|cjs|sh|bash|py|ya?ml|toml)$/;

const directories = process.argv.length > 2 ? process.argv.slice(2) : ["."];
const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", ...directories], { encoding: "utf8" })
  .split("\0")
  .filter(Boolean);

/** @type {string[]} */
const long = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    continue; // deleted in the work tree, not yet in the index
  }
  if (!CODE.test(file) && !text.startsWith("#!")) continue;
  text.split("\n").forEach((line, index) => {
    if ([...line].length > MAX) long.push(`${file}:${index + 1}: ${[...line].length} characters`);
  });
}
if (long.length > 0) {
  console.error(`${long.length} line(s) longer than ${MAX} characters (biome.json's lineWidth); split them:\n${long.join("\n")}`);
  process.exit(1);
}
