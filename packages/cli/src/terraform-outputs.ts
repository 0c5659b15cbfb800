// `terraform output -json` of a NativeLink stack: `{ name: { value, type, sensitive } }`.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { z } from "zod";
import { UsageError } from "./errors.js";

const outputEntry = z.object({ value: z.unknown(), type: z.unknown().optional(), sensitive: z.boolean().optional() });
const outputsFile = z.record(z.string(), outputEntry);

/** The outputs this CLI reads, each checked for its type when present. */
const knownOutputs = z.object({
  cas_endpoint: z
    .string()
    .regex(/^grpcs?:\/\/\S+$/, "is not a grpc:// or grpcs:// URL")
    .optional(),
  cas_writers_endpoint: z
    .string()
    .regex(/^grpcs?:\/\/\S+$/, "is not a grpc:// or grpcs:// URL")
    .optional(),
  scheduler_endpoint: z
    .string()
    .regex(/^grpcs?:\/\/\S+$/, "is not a grpc:// or grpcs:// URL")
    .optional(),
  remote_instance_name: z.string().optional(),
  client_certificate_required: z.boolean().optional(),
  cas_bucket_name: z.string().min(3).optional(),
  access_logs_bucket_name: z.string().min(3).optional(),
  scheduler_internal_domain_name: z.string().min(1).optional(),
});
export type TerraformOutputs = z.output<typeof knownOutputs>;

/** Parses the text of `terraform output -json`; `source` names it in error messages. */
export function parseTerraformOutputs(text: string, source: string): TerraformOutputs {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${source} is not JSON (${(error as Error).message}); write it with \`terraform output -json > ${source}\``);
  }
  const entries = outputsFile.safeParse(json);
  if (!entries.success) {
    throw new UsageError(`${source} is not \`terraform output -json\` output: expected { "name": { "value": … } } for every output`);
  }
  const values = Object.fromEntries(Object.entries(entries.data).map(([name, entry]) => [name, entry.value]));
  const known = knownOutputs.safeParse(values);
  if (!known.success) {
    const problems = known.error.issues.map((issue) => `output ${String(issue.path[0])} ${issue.message}`);
    throw new UsageError(`${source}: ${problems.join("; ")}`);
  }
  return known.data;
}

export async function readTerraformOutputs(path: string, cwd: string): Promise<TerraformOutputs> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), "utf8");
  } catch (error) {
    throw new UsageError(`cannot read --outputs ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseTerraformOutputs(text, path);
}

/** The output's value, or a UsageError naming the missing output. */
export function requireOutput<Key extends keyof TerraformOutputs>(outputs: TerraformOutputs, key: Key, source: string): NonNullable<TerraformOutputs[Key]> {
  const value = outputs[key];
  if (value === undefined || value === null) {
    throw new UsageError(`${source} has no output "${key}"; is it the output of a NativeLink stack (\`terraform output -json\`)?`);
  }
  return value as NonNullable<TerraformOutputs[Key]>;
}
