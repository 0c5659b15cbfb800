// The Sigstore trusted root the signatures are checked against: the public-good root shipped in @sigstore/tuf's
// seeds (pinned, read from disk, no network), or a trusted_root.json file for a mirror or a private Sigstore.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { TrustedRoot } from "@sigstore/protobuf-specs";
import { toTrustMaterial, type TrustMaterial } from "@sigstore/verify";
import { z } from "zod";
import { UsageError } from "../errors.js";

/** The TUF repository whose seed holds the public-good trusted root. */
const PUBLIC_GOOD_TUF_REPOSITORY = "https://tuf-repo-cdn.sigstore.dev";

export interface LoadedTrustedRoot {
  readonly material: TrustMaterial;
  /** Where it came from, for the summary and the lock's verifiedBy. */
  readonly description: string;
}

const trustedRootShape = z.looseObject({
  mediaType: z.string({ error: "is missing" }).startsWith("application/vnd.dev.sigstore.trustedroot", {
    error: "expected a Sigstore trusted root (mediaType application/vnd.dev.sigstore.trustedroot+json)",
  }),
  tlogs: z.array(z.unknown(), { error: "is missing or not a list" }).min(1, { error: "lists no transparency log" }),
  certificateAuthorities: z.array(z.unknown(), { error: "is missing or not a list" }).min(1, { error: "lists no certificate authority" }),
});

const tufSeeds = z.record(z.string(), z.object({ targets: z.record(z.string(), z.string()) }));

function toLoaded(text: string, description: string, source: string): LoadedTrustedRoot {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${source}: not JSON (${(error as Error).message}); pass a Sigstore trusted_root.json`);
  }
  const shape = trustedRootShape.safeParse(json);
  if (!shape.success) throw new UsageError(`${source}: ${shape.error.issues.map((issue) => `${issue.path.join(".") || "file"} ${issue.message}`).join("; ")}`);
  try {
    const fingerprint = createHash("sha256").update(text).digest("hex").slice(0, 16);
    return { material: toTrustMaterial(TrustedRoot.fromJSON(shape.data)), description: `${description} (sha256 ${fingerprint}…)` };
  } catch (error) {
    throw new UsageError(`${source}: not a usable Sigstore trusted root (${(error as Error).message})`);
  }
}

/** The public-good trusted root as the pinned @sigstore/tuf ships it in seeds.json. */
export function publicGoodTrustedRoot(): LoadedTrustedRoot {
  const require = createRequire(import.meta.url);
  const { version } = z.object({ version: z.string() }).parse(require("@sigstore/tuf/package.json"));
  const seeds = tufSeeds.parse(JSON.parse(readFileSync(require.resolve("@sigstore/tuf/seeds.json"), "utf8")));
  const encoded = seeds[PUBLIC_GOOD_TUF_REPOSITORY]?.targets["trusted_root.json"];
  if (encoded === undefined) throw new Error(`@sigstore/tuf ${version} seeds.json has no trusted_root.json for ${PUBLIC_GOOD_TUF_REPOSITORY}`);
  const description = `the Sigstore public-good trusted root shipped in @sigstore/tuf ${version}`;
  return toLoaded(Buffer.from(encoded, "base64").toString("utf8"), description, "@sigstore/tuf seeds.json");
}

/** A trusted_root.json given with --trusted-root (`shown` as typed, `path` resolved). */
export function trustedRootFromFile(path: string, shown = path): LoadedTrustedRoot {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`--trusted-root ${shown}: cannot read it (${reason}); pass a Sigstore trusted_root.json`);
  }
  return toLoaded(text, `the trusted root ${shown}`, `--trusted-root ${shown}`);
}
