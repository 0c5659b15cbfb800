// Flags are parsed by commander and validated by zod, answered in our words: one line per bad flag, naming the flag,
// the value given and what a good one looks like. parseFlags words any issue a schema left unworded, so zod's own
// messages ("Invalid input: expected number, received NaN") never reach the user.
import { DEPLOYMENT_NAME_PATTERN, DEPLOYMENT_NAME_RULE, OUTPUT_PREFIX_PATTERN } from "@nativelink-aws/conventions";
import type { Command } from "commander";
import { z } from "zod";
import { UsageError } from "./errors.js";

/** `--kebab-case` for a commander option key such as `clientCert`. */
export function flagName(key: PropertyKey): string {
  return `--${String(key).replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/** A value as the user typed it, for messages: `"abc"`. */
export function quoted(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** Words for an issue that its schema did not word, e.g. from a plain `z.string().min(1)`. */
function unwordedIssue(issue: z.core.$ZodRawIssue): string {
  if (issue.code === "too_small" && issue.origin === "string") return "is empty";
  if (issue.code === "too_small") return `${quoted(issue.input)} is less than ${String(issue.minimum)}`;
  if (issue.code === "too_big") return `${quoted(issue.input)} is more than ${String(issue.maximum)}`;
  if (issue.code === "invalid_type" && issue.input === undefined) return "is missing";
  return `${quoted(issue.input)} is not a valid value`;
}

/** Validates commander's option values; a failure is a UsageError naming each flag and what is wrong. */
export function parseFlags<Schema extends z.ZodType>(schema: Schema, raw: unknown): z.output<Schema> {
  const parsed = schema.safeParse(raw, { error: unwordedIssue });
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const [key] = issue.path;
    return key === undefined ? issue.message : `${flagName(key)}: ${issue.message}`;
  });
  throw new UsageError(lines.join("\n"));
}

/** A string flag checked by `pattern`; a mismatch reads `"VALUE" is not WHAT`. */
function patternFlag(pattern: RegExp, what: string) {
  return z.string().regex(pattern, { error: (issue) => `${quoted(issue.input)} is not ${what}` });
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
export const regionFlag = patternFlag(REGION, "an AWS region such as us-east-1 or eu-west-2");
export const profileFlag = z.string().min(1, "is empty; give a profile name from ~/.aws/config, e.g. default");

/** A file the user names, e.g. `--outputs outputs.json`; `example` is a typical path. */
export function pathFlag(example: string) {
  return z.string().min(1, `is empty; give a file path, e.g. ${example}`);
}

/** `--outputs FILE`: the output of `terraform output -json`. */
export const outputsFlag = pathFlag("outputs.json (from `terraform output -json > outputs.json`)");

/** `--output-prefix PREFIX`: the cluster's `outputPrefix`, when the outputs hold several clusters. */
export const outputPrefixFlag = z
  .string()
  .min(1, "is empty; give the cluster's outputPrefix, e.g. blue_ (without the flag, the outputs' only prefix is used)")
  .regex(OUTPUT_PREFIX_PATTERN, { error: (issue) => `${quoted(issue.input)} is not an output name prefix, e.g. blue_` });

/** The --output-prefix option, beside --outputs. */
export const OUTPUT_PREFIX_OPTION = [
  "--output-prefix <prefix>",
  "the cluster's outputPrefix (default: found in the outputs; needed when they hold several clusters)",
] as const;

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** A domain name, lowercased and without a trailing dot. */
export const domainFlag = z.string().transform((text, context) => {
  const domain = text.trim().toLowerCase().replace(/\.$/, "");
  if (DOMAIN.test(domain)) return domain;
  context.addIssue({ code: "custom", message: `${quoted(text)} is not a domain name such as build.example.com` });
  return z.NEVER;
});

/** A single DNS label, as in `cas` of `cas.build.example.com`. */
export const labelFlag = patternFlag(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "a DNS label (a-z, 0-9 and -), e.g. cas");

export const deploymentFlag = patternFlag(DEPLOYMENT_NAME_PATTERN, `a deployment name (${DEPLOYMENT_NAME_RULE}), e.g. nativelink`);

/** Path segments REAPI reserves in resource names, which an instance name's segments may not equal. */
const REAPI_RESERVED_SEGMENTS = new Set(["blobs", "uploads", "actions", "actionResults", "operations", "capabilities", "compressed-blobs"]);

/**
 * What is wrong with a REAPI instance name given on the command line, or undefined. The empty name is legal in
 * REAPI, but as a flag it is almost always an unset shell variable, and Bazel would then ask for an instance the
 * cluster does not serve (NativeLinkCluster's `instanceName`, default `main`): refused, with the way to the real name.
 */
export function instanceNameProblem(name: string): string | undefined {
  if (name === "") {
    return (
      'is empty: Bazel would then ask for the unnamed instance, which a cluster serves only when its instanceName is ""; ' +
      "leave the flag out for the default main, or pass your cluster's instanceName (the output remote_instance_name)"
    );
  }
  if (!/^[A-Za-z0-9_./-]+$/.test(name)) return `${quoted(name)} is not an instance name: use letters, digits, "_", ".", "/" and "-", e.g. main`;
  const segments = name.split("/");
  if (segments.includes("")) return `${quoted(name)} has an empty path segment (a leading, trailing or double "/"), e.g. main or team/main`;
  const reserved = segments.find((segment) => REAPI_RESERVED_SEGMENTS.has(segment));
  if (reserved) return `${quoted(name)} has the segment "${reserved}", which REAPI reserves in resource names; choose another name, e.g. main`;
  return undefined;
}

export const instanceNameFlag = z.string().superRefine((name, context) => {
  const problem = instanceNameProblem(name);
  if (problem) context.addIssue({ code: "custom", message: problem });
});

export interface NumberFlagOptions {
  /**
   * The smallest value accepted.
   * @default 0
   */
  readonly min?: number;
  /**
   * The largest value accepted.
   * @default Number.MAX_SAFE_INTEGER
   */
  readonly max?: number;
  /**
   * Whole numbers only.
   * @default false
   */
  readonly integer?: boolean;
  /** A good value, shown in messages, e.g. "5000". */
  readonly example: string;
}

const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/**
 * What is wrong with `text` as the value of a numeric flag, or undefined. Accepts decimals with an optional
 * exponent (`0.5`, `5000`, `2e6`); refuses what `Number()` would quietly turn into a number: "", " ", "0x10", "1_000".
 */
export function numberProblem(text: string, options: NumberFlagOptions): string | undefined {
  const { min = 0, max = Number.MAX_SAFE_INTEGER, integer = false, example } = options;
  const kind = integer ? "a whole number" : "a number";
  const value = Number(text);
  if (!DECIMAL.test(text)) return `${quoted(text)} is not ${kind}, e.g. ${example}`;
  if (integer && !Number.isInteger(value)) return `${quoted(text)} is not ${kind}, e.g. ${example}`;
  if (value < min) return `${quoted(text)} is less than ${min}, e.g. ${example}`;
  if (value > max) return `${quoted(text)} is more than ${max}, e.g. ${example}`;
  return undefined;
}

/** A numeric flag given as text, e.g. `--stored-gib 500`. */
export function numberFlag(options: NumberFlagOptions) {
  return z.string().transform((text, context) => {
    const problem = numberProblem(text, options);
    if (problem === undefined) return Number(text);
    context.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  });
}

/** A whole-number flag given as text, e.g. `--port 50051`. */
export function integerFlag(min: number, max: number, example = String(min)) {
  return numberFlag({ min, max, integer: true, example });
}

export const awsFlagsShape = {
  region: regionFlag.optional(),
  profile: profileFlag.optional(),
};

/** `--region` and `--profile`, which fall back to the AWS SDK's default chain (AWS_REGION, AWS_PROFILE, ~/.aws/config). */
export function addAwsFlags(command: Command): Command {
  return command
    .option("--region <region>", "AWS region (default: AWS_REGION, then the profile's region)")
    .option("--profile <name>", "AWS profile from ~/.aws/config (default: AWS_PROFILE, then the default chain)");
}
