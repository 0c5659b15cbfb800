// `terraform output -json` of a NativeLink stack: `{ name: { value, type, sensitive } }`. The names are the cluster's
// (CLUSTER_OUTPUTS of @nativelink-aws/conventions), each behind the cluster's `outputPrefix`.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { CLUSTER_OUTPUTS as O } from "@nativelink-aws/conventions";
import { z } from "zod";
import { UsageError } from "./errors.js";

const outputEntry = z.object({ value: z.unknown(), type: z.unknown().optional(), sensitive: z.boolean().optional() });
const outputsFile = z.record(z.string(), outputEntry);
const grpcUrl = z
  .string()
  .regex(/^grpcs?:\/\/\S+$/, "is not a grpc:// or grpcs:// URL")
  .optional();

/** The outputs this CLI reads, each checked for its type when present. */
const knownOutputs = z.object({
  [O.casEndpoint]: grpcUrl,
  [O.casWritersEndpoint]: grpcUrl,
  [O.schedulerEndpoint]: grpcUrl,
  [O.remoteInstanceName]: z.string().optional(),
  [O.clientCertificateRequired]: z.boolean().optional(),
  [O.casBucketName]: z.string().min(3).optional(),
  [O.accessLogsBucketName]: z.string().min(3).optional(),
  [O.schedulerInternalDomainName]: z.string().min(1).optional(),
});
export type TerraformOutputs = z.output<typeof knownOutputs>;

/**
 * The cluster's output prefix: `given` (`--output-prefix`) when set; otherwise the one prefix before a
 * `cas_endpoint` output ("" for a stack with one cluster and no `outputPrefix`). Several clusters need the flag.
 */
export function outputPrefix(names: readonly string[], source: string, given?: string): string {
  if (given !== undefined) return given;
  const prefixes = names.filter((name) => name.endsWith(O.casEndpoint)).map((name) => name.slice(0, -O.casEndpoint.length));
  if (prefixes.length > 1) {
    const listed = prefixes.map((prefix) => JSON.stringify(prefix)).join(", ");
    throw new UsageError(`${source} holds the outputs of ${prefixes.length} clusters (output prefixes ${listed}); choose one with --output-prefix`);
  }
  return prefixes[0] ?? "";
}

/**
 * Parses the text of `terraform output -json`; `source` names it in error messages. `prefix` is the cluster's
 * `outputPrefix` (`--output-prefix`); without it, the prefix is found (see `outputPrefix`).
 */
export function parseTerraformOutputs(text: string, source: string, prefix?: string): TerraformOutputs {
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
  const chosen = outputPrefix(Object.keys(entries.data), source, prefix);
  const values = Object.fromEntries(
    Object.entries(entries.data).flatMap(([name, entry]) => (name.startsWith(chosen) ? [[name.slice(chosen.length), entry.value]] : [])),
  );
  const known = knownOutputs.safeParse(values);
  if (!known.success) {
    const problems = known.error.issues.map((issue) => `output ${chosen}${String(issue.path[0])} ${issue.message}`);
    throw new UsageError(`${source}: ${problems.join("; ")}`);
  }
  return known.data;
}

export async function readTerraformOutputs(path: string, cwd: string, prefix?: string): Promise<TerraformOutputs> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), "utf8");
  } catch (error) {
    throw new UsageError(`cannot read --outputs ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseTerraformOutputs(text, path, prefix);
}

/** The output's value, or a UsageError naming the missing output. */
export function requireOutput<Key extends keyof TerraformOutputs>(outputs: TerraformOutputs, key: Key, source: string): NonNullable<TerraformOutputs[Key]> {
  const value = outputs[key];
  if (value === undefined || value === null) {
    throw new UsageError(`${source} has no output "${key}"; is it the output of a NativeLink stack (\`terraform output -json\`)?`);
  }
  return value as NonNullable<TerraformOutputs[Key]>;
}
