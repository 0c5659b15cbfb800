// Flags are parsed by commander and validated by zod: one error message per bad flag, named as typed.
import type { Command } from "commander";
import { z } from "zod";
import { UsageError } from "./errors.js";

/** `--kebab-case` for a commander option key such as `clientCert`. */
export function flagName(key: PropertyKey): string {
  return `--${String(key).replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/** Validates commander's option values; a failure is a UsageError naming each flag and what is wrong. */
export function parseFlags<Schema extends z.ZodType>(schema: Schema, raw: unknown): z.output<Schema> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const [key] = issue.path;
    return key === undefined ? issue.message : `${flagName(key)}: ${issue.message}`;
  });
  throw new UsageError(lines.join("\n"));
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
export const regionFlag = z.string().regex(REGION, "is not an AWS region such as us-east-1 or eu-west-2");
export const profileFlag = z.string().min(1, "is empty");

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** A domain name, lowercased and without a trailing dot. */
export const domainFlag = z
  .string()
  .transform((value) => value.trim().toLowerCase().replace(/\.$/, ""))
  .refine((value) => DOMAIN.test(value), "is not a domain name such as build.example.com");

/** A single DNS label, as in `cas` of `cas.build.example.com`. */
export const labelFlag = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "is not a DNS label (a-z, 0-9 and -)");

const DEPLOYMENT = /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/;
export const deploymentFlag = z.string().regex(DEPLOYMENT, "is not a deployment name (2-20 of a-z, 0-9 and -, starting with a letter)");

/** An integer flag given as text, e.g. `--port 50051`. */
export function integerFlag(min: number, max: number) {
  return z.coerce.number().int("is not a whole number").min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
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
