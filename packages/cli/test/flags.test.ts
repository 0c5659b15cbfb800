// Flags answer in our words: the shared parsers table-tested, then every flag of every command swept.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { instanceNameProblem, numberProblem, parseFlags } from "../src/flags.js";
import type { CliIo } from "../src/io.js";
import { createProgram } from "../src/program.js";
import { runCli } from "./support/run-cli.js";

/** What zod says when a schema does not word an issue itself. */
const zodWords = /Invalid input|expected (number|string)|received|Too (small|big)|to have >=|Invalid string/;

describe("numberProblem", () => {
  const amount = { example: "5000" };
  const count = { integer: true, min: 1, max: 65535, example: "50051" };
  it.each<[string, object, string | undefined]>([
    ["5000", amount, undefined],
    ["0", amount, undefined],
    ["0.5", amount, undefined],
    [".5", amount, undefined],
    ["2e6", amount, undefined],
    ["1E3", count, undefined],
    ["abc", amount, '"abc" is not a number, e.g. 5000'],
    ["", amount, '"" is not a number, e.g. 5000'],
    [" ", amount, '" " is not a number, e.g. 5000'],
    ["0x10", amount, '"0x10" is not a number, e.g. 5000'],
    ["1_000", amount, '"1_000" is not a number, e.g. 5000'],
    ["Infinity", amount, '"Infinity" is not a number, e.g. 5000'],
    ["NaN", amount, '"NaN" is not a number, e.g. 5000'],
    ["5 000", amount, '"5 000" is not a number, e.g. 5000'],
    ["-1", amount, '"-1" is less than 0, e.g. 5000'],
    ["1e999", amount, `"1e999" is more than ${Number.MAX_SAFE_INTEGER}, e.g. 5000`],
    ["1.5", count, '"1.5" is not a whole number, e.g. 50051'],
    ["0", count, '"0" is less than 1, e.g. 50051'],
    ["70000", count, '"70000" is more than 65535, e.g. 50051'],
  ])("%j %j → %j", (text, options, problem) => {
    expect(numberProblem(text, options as { example: string })).toBe(problem);
  });
});

describe("instanceNameProblem", () => {
  it.each(["main", "ci", "team/main", "a.b_c-d"])("%j is a good instance name", (name) => {
    expect(instanceNameProblem(name)).toBeUndefined();
  });

  it.each([
    ["", /^is empty: Bazel would then ask for the unnamed instance/],
    ["ma in", /^"ma in" is not an instance name: use letters, digits/],
    ["/main", /^"\/main" has an empty path segment/],
    ["main/", /has an empty path segment/],
    ["a//b", /has an empty path segment/],
    ["team/blobs", /^"team\/blobs" has the segment "blobs", which REAPI reserves/],
    ["compressed-blobs", /has the segment "compressed-blobs"/],
  ])("%j is refused", (name, problem) => {
    expect(instanceNameProblem(name)).toMatch(problem);
  });
});

describe("parseFlags", () => {
  it("words what a schema left unworded, naming the flag", () => {
    const schema = z.object({ outputs: z.string().min(1), port: z.coerce.number().min(1), name: z.string().regex(/^a/) });
    const error = (() => {
      try {
        parseFlags(schema, { outputs: "", port: "0", name: "b" });
      } catch (caught) {
        return caught as Error;
      }
      throw new Error("parseFlags accepted bad flags");
    })();
    expect(error.message).toBe(["--outputs: is empty", "--port: 0 is less than 1", '--name: "b" is not a valid value'].join("\n"));
  });
});

/** Every command of the program, with its path (`["local-proxy", "init"]`). */
function commandsOf(command: Command, path: string[] = []): { path: string[]; command: Command }[] {
  return command.commands.flatMap((sub) => [{ path: [...path, sub.name()], command: sub }, ...commandsOf(sub, [...path, sub.name()])]);
}

const io: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd() };
const valueFlags = commandsOf(createProgram(io)).flatMap(({ path, command }) =>
  command.options.filter((option) => option.required && option.long).map((option) => ({ path, flag: option.long ?? "", placeholder: option.flags })),
);
/** The flags (and a good value) a command needs before it looks at the others. */
const requiredFlags: Record<string, [string, string][]> = {
  preflight: [["--domain", "example.com"]],
  "certs issue": [
    ["--name", "alice"],
    ["--kind", "ci"],
    ["--out", "alice"],
  ],
};
/** `command`'s required flags with good values, except `flag`. */
const requiredExcept = (command: string, flag: string) => (requiredFlags[command] ?? []).filter(([required]) => required !== flag).flat();

describe("every flag of every command", () => {
  it("the sweep sees the commands' flags", () => {
    expect(valueFlags.length).toBeGreaterThan(30);
  });

  it.each(valueFlags.map(({ path, flag }) => [path.join(" "), flag] as const))(
    '%s %s "" is refused in our words, naming the flag (exit 2)',
    async (command, flag) => {
      const result = await runCli([...command.split(" "), ...requiredExcept(command, flag), flag, ""], { cwd: mkdtempSync(join(tmpdir(), "flags-")) });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${flag}: `);
      expect(result.stderr).not.toMatch(zodWords);
    },
  );

  const numeric = [
    ["cost", "--worker-vcpu-hours", "5000"],
    ["cost", "--stored-gib", "500"],
    ["cost", "--puts", "2000000"],
    ["cost", "--gets", "10000000"],
    ["cost", "--log-gib", "5"],
    ["cost", "--warm-pool-refills", "300"],
    ["local-proxy init", "--port", "50051"],
    ["purge", "--max-batches", "10"],
    ["certs issue", "--days", "90"],
    ["images lock", "--timeout-seconds", "30"],
    ["bazelrc", "--writers-port", "8443"],
  ] as const;

  it("the numeric flags are exactly those with a number placeholder", () => {
    const found = valueFlags.filter(({ placeholder }) => /<(n|port)>/.test(placeholder)).map(({ path, flag }) => `${path.join(" ")} ${flag}`);
    expect(found.sort()).toEqual(numeric.map(([command, flag]) => `${command} ${flag}`).sort());
  });

  it.each(numeric.flatMap(([command, flag, example]) => ["abc", "0x10", "-5", "Infinity"].map((value) => [command, flag, value, example] as const)))(
    "%s %s %j: names the flag, the value and an example",
    async (command, flag, value, example) => {
      const result = await runCli([...command.split(" "), ...requiredExcept(command, flag), `${flag}=${value}`], {
        cwd: mkdtempSync(join(tmpdir(), "flags-")),
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        new RegExp(`^nativelink-aws: ${flag}: "${value}" is (not a (whole )?number|less than \\d+|more than \\d+), e.g. ${example}$`, "m"),
      );
      expect(result.stderr).not.toMatch(zodWords);
    },
  );
});
