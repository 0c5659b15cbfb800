// Docs as tests: every README code block that shows one of the example apps is that file (without its region markers),
// or an exact marked excerpt.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const readmes = [
  "README.md",
  "examples/README.md",
  ...["packages", "apps"].flatMap((dir) => readdirSync(join(repoRoot, dir)).map((name) => `${dir}/${name}/README.md`)),
].filter((path) => {
  try {
    readFileSync(join(repoRoot, path));
    return true;
  } catch {
    return false;
  }
});

/** `<!-- example: examples/x/main.ts#region -->` right before a ```ts block. */
const MARKED_BLOCK = /<!-- example: ([^#\s]+)(?:#([\w-]+))? -->\n```ts\n([\s\S]*?)\n```/g;
const TS_BLOCK = /```ts\n([\s\S]*?)\n```/g;
/** What a code block shows when it is a composition: an app, or a cluster that needs the rest wired. */
const COMPOSITION = /new TerraformStack\(|new NativeLinkCluster\(|new SchedulerDnsRecord\(|new WorkerAutoscaler\(/;

/** The lines between `// example:start <region>` and `// example:end <region>`, without their common indentation. */
function excerpt(file: string, region: string, path: string): string {
  const lines = file.split("\n");
  const start = lines.findIndex((line) => line.trim() === `// example:start ${region}`);
  const end = lines.findIndex((line) => line.trim() === `// example:end ${region}`);
  if (start < 0 || end < start) throw new Error(`${path} has no region ${region}`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((line) => line.trim()).map((line) => /^ */.exec(line)![0].length));
  return body.map((line) => line.slice(indent)).join("\n");
}

/** A whole example as a README shows it: the `// example:start|end` lines (for other READMEs' excerpts) left out. */
function withoutRegionMarkers(file: string): string {
  return file
    .split("\n")
    .filter((line) => !/^\s*\/\/ example:(start|end) [\w-]+$/.test(line))
    .join("\n");
}

const marked = readmes.flatMap((readme) =>
  [...readFileSync(join(repoRoot, readme), "utf8").matchAll(MARKED_BLOCK)].map(([, path, region, block]) => ({ readme, path: path!, region, block: block! })),
);

describe("README code blocks that show an example app", () => {
  it("are found in the READMEs that document a composition", () => {
    const documented = new Set(marked.map(({ readme }) => readme));
    for (const readme of [
      "packages/constructs/README.md",
      "packages/deployment/README.md",
      "packages/ami-builder/README.md",
      "packages/autoscaler/README.md",
      "packages/dns-lambda/README.md",
    ]) {
      expect(documented, readme).toContain(readme);
    }
  });

  it.each(marked.map((entry) => [`${entry.readme} → ${entry.path}${entry.region ? `#${entry.region}` : ""}`, entry] as const))(
    "%s is byte-equal",
    (_label, { path, region, block }) => {
      const file = readFileSync(join(repoRoot, path), "utf8");
      expect(block).toBe(region ? excerpt(file, region, path) : withoutRegionMarkers(file).replace(/\n$/, ""));
    },
  );

  it("leave no composition unmarked: every block that builds a stack or a cluster is an example", () => {
    const unmarked = readmes.flatMap((readme) => {
      const text = readFileSync(join(repoRoot, readme), "utf8");
      return [...text.matchAll(TS_BLOCK)]
        .filter((match) => COMPOSITION.test(match[1]!) && !/^<!-- example: \S+ -->$/.test(text.slice(0, match.index).trimEnd().split("\n").pop()!))
        .map((match) => `${readme}: ${match[1]!.split("\n")[0]}`);
    });
    expect(unmarked).toEqual([]);
  });
});
