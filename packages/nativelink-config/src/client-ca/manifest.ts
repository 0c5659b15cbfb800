/** `manifest.json` of a published client CA directory: what was published, for the stack and for reviewers. */
import { z } from "zod";
import { fromZodIssues } from "../errors.js";
import { PUBLISHED_FILES, type Authority } from "./layout.js";

const isoTime = z.iso.datetime();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: "expected a SHA-256: 64 lowercase hex digits" });

const publishedAuthority = (authority: Authority) =>
  z.object({
    /** File name of the CA certificate in the published directory. */
    caCertificate: z.literal(PUBLISHED_FILES[authority].caCertificate),
    /** File name of its CRL in the published directory. */
    crl: z.literal(PUBLISHED_FILES[authority].crl),
    subject: z.string().min(1),
    /** SHA-256 of the CA certificate's DER encoding, lower-case hex. */
    sha256,
    notAfter: isoTime,
    crlNumber: z.number().int().min(0),
    crlThisUpdate: isoTime,
    /** Empty when the CRL has no nextUpdate. */
    crlNextUpdate: z.union([isoTime, z.literal("")]),
    /** How many certificates the CRL lists. */
    revoked: z.number().int().min(0),
  });

export const ClientCaManifestSchema = z.object({
  format: z.literal(1, { error: "expected format 1 (this version of nativelink-aws reads format 1)" }),
  /** The deployment whose PKI was published (`certs publish --deployment`). */
  deployment: z.string().min(1),
  publishedAt: isoTime,
  authorities: z.object({ developers: publishedAuthority("developers"), ci: publishedAuthority("ci") }),
});

export type ClientCaManifest = z.output<typeof ClientCaManifestSchema>;
export type PublishedAuthority = ClientCaManifest["authorities"][Authority];

/** Thrown when a published client CA directory is incomplete or does not parse; the message says what to run. */
export class ClientCaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ClientCaError";
  }
}

/**
 * Parses `manifest.json`'s text; `source` names the file and `republish` is the command that writes it again.
 * @throws ClientCaError naming each bad field and the command.
 */
export function parseClientCaManifest(text: string, source: string, republish: string): ClientCaManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ClientCaError(`${source} is not JSON (${(error as Error).message}); write it again with: ${republish}`);
  }
  const parsed = ClientCaManifestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = fromZodIssues(parsed.error.issues).map((issue) => `  ${issue.path}: ${issue.message}`);
    throw new ClientCaError(`${source} is not a client CA manifest:\n${problems.join("\n")}\nWrite it again with: ${republish}`);
  }
  return parsed.data;
}

/** The manifest as `certs publish` writes it: two-space indent, a final newline. */
export function renderClientCaManifest(manifest: ClientCaManifest): string {
  return `${JSON.stringify(ClientCaManifestSchema.parse(manifest), null, 2)}\n`;
}
