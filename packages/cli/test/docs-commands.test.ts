// Every `nativelink-aws …` command line shown in a README names a real command and only flags that command has:
// a reader who copies one gets the command the README describes, not "unknown option".
import { globSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../src/io.js";
import { createProgram } from "../src/program.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const readmes = globSync(["README.md", "apps/*/README.md", "packages/*/README.md", "examples/**/README.md", "tests/*/README.md"], { cwd: root }).filter(
  (path) => !path.includes("node_modules"),
);

/** The command lines in a README's fenced shell blocks, with the words after `nativelink-aws`. */
function documentedCommandLines(markdown: string): string[][] {
  const lines: string[][] = [];
  for (const block of fencedShellBlocks(markdown)) {
    // Continued lines are one command line; a quoted value (often "$(…)") is one word.
    const text = block.replace(/\\\n\s*/g, " ").replace(/"[^"\n]*"|'[^'\n]*'/g, "VALUE");
    for (const line of text.split("\n")) {
      for (const match of line.matchAll(/(?:^|[\s;&|(])(?:npx )?nativelink-aws((?:\s+[^\s;&|>#)`]+)*)/g)) {
        const words = match[1]!
          .trim()
          .split(/\s+/)
          .filter((word) => word !== "");
        if (words.length > 0) lines.push(words);
      }
    }
  }
  return lines;
}

/** The bodies of the fenced blocks whose language is a shell (or none). */
function fencedShellBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  let body: string[] | undefined;
  let shell = false;
  for (const line of markdown.split("\n")) {
    const fence = /^\s*```(\S*)/.exec(line);
    if (fence && body === undefined) {
      body = [];
      shell = ["", "sh", "bash", "shell", "console"].includes(fence[1]!);
    } else if (fence) {
      if (shell) blocks.push(body!.join("\n"));
      body = undefined;
    } else {
      body?.push(line);
    }
  }
  return blocks;
}

const io = { stdout: { write: () => true }, stderr: { write: () => true }, cwd: root, env: {} } as unknown as CliIo;
const program = createProgram(io);

/** The subcommand a command line names, and the words after it. */
function resolve(words: string[]): { command: Command; path: string[]; rest: string[] } {
  let command: Command = program;
  const path: string[] = [];
  let index = 0;
  for (; index < words.length; index += 1) {
    const sub = command.commands.find((candidate) => candidate.name() === words[index] || candidate.aliases().includes(words[index]!));
    if (!sub) break;
    command = sub;
    path.push(sub.name());
  }
  return { command, path, rest: words.slice(index) };
}

const documented = readmes.flatMap((readme) =>
  documentedCommandLines(readFileSync(`${root}/${readme}`, "utf8")).map((words) => [readme, words.join(" "), words] as const),
);

describe("command lines in the READMEs", () => {
  it("finds the documented command lines", () => {
    expect(documented.length).toBeGreaterThan(20);
    expect(documentedCommandLines("```sh\nnpx nativelink-aws bazelrc \\\n  --outputs o.json >> .bazelrc # x\n```")).toEqual([
      ["bazelrc", "--outputs", "o.json"],
    ]);
    expect(documentedCommandLines('```sh\nx --bucket "$(terraform output -raw y)" && nativelink-aws purge --bucket "$(z -q)"\n```')).toEqual([
      ["purge", "--bucket", "VALUE"],
    ]);
    expect(documentedCommandLines("`nativelink-aws images lock`\n```ts\nnativelink-aws x\n```")).toEqual([]);
  });

  it.each(documented)("%s: nativelink-aws %s", (_readme, _line, words) => {
    const { command, path, rest } = resolve([...words]);
    if (rest[0] === "--help" || rest[0] === "--version") return;
    expect(path.length, `"${words[0]}" is not a command`).toBeGreaterThan(0);
    expect(command.commands.length, `"${path.join(" ")}" needs a subcommand`).toBe(0);
    const known = new Set(["--help", "-h", ...command.options.flatMap((option) => [option.long, option.short].filter((flag): flag is string => !!flag))]);
    for (const word of rest.filter((candidate) => candidate.startsWith("-"))) {
      expect(known, `${path.join(" ")} has no option ${word}`).toContain(word.split("=")[0]);
    }
  });
});
