import { z } from "zod";

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: "expected 64 lowercase hex digits (a SHA-256)" });

/** The environment that switches the app from existing AMI ids (Terraform variables) to baking images. */
const BakeEnvironment = z.object({
  NATIVELINK_VERSION: z.string().regex(/^\d+\.\d+\.\d+$/, { error: 'expected a release version such as "1.6.6"' }).optional(),
  NATIVELINK_SHA256_X86_64: sha256.optional(),
  NATIVELINK_SHA256_ARM64: sha256.optional(),
  OTELCOL_SHA256_X86_64: sha256.optional(),
  OTELCOL_SHA256_ARM64: sha256.optional(),
});

const CHECKSUMS = ["NATIVELINK_SHA256_X86_64", "NATIVELINK_SHA256_ARM64", "OTELCOL_SHA256_X86_64", "OTELCOL_SHA256_ARM64"] as const;

export interface BakeSettings {
  readonly nativelinkVersion?: string;
  readonly nativelinkSha256: { x86_64: string; arm64: string };
  readonly otelcolSha256: { x86_64: string; arm64: string };
}

/**
 * Baking needs the SHA-256 of each release artifact (the bake refuses anything else). With none of the
 * checksum variables set, the app takes AMI ids as Terraform variables instead; with some, it says which are missing.
 */
export function bakeSettingsFromEnvironment(environment: NodeJS.ProcessEnv): BakeSettings | undefined {
  const parsed = BakeEnvironment.safeParse(environment);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("\n"));
  }
  const env = parsed.data;
  const missing = CHECKSUMS.filter((name) => env[name] === undefined);
  if (missing.length === CHECKSUMS.length) return undefined;
  if (missing.length > 0) {
    throw new Error(`To bake images, set every checksum variable; missing: ${missing.join(", ")}. Or unset them all to pass AMI ids as Terraform variables.`);
  }
  return {
    nativelinkVersion: env.NATIVELINK_VERSION,
    nativelinkSha256: { x86_64: env.NATIVELINK_SHA256_X86_64!, arm64: env.NATIVELINK_SHA256_ARM64! },
    otelcolSha256: { x86_64: env.OTELCOL_SHA256_X86_64!, arm64: env.OTELCOL_SHA256_ARM64! },
  };
}
