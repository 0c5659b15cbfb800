// `certs publish`: the public half of the PKI, as the stack reads it at synth. Same PKI, same files, byte for byte.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  AUTHORITIES,
  PUBLISHED_FILES,
  renderClientCaManifest,
  type Authority,
  type ClientCaManifest,
  type PublishedAuthority,
} from "@nativelink-aws/nativelink-config";
import type { PkiIndex } from "./pki-index.js";
import { PUBLIC_FILE_MODE, type FileToWrite } from "./pki-store.js";
import type { CrlInfo } from "./x509.js";

export interface AuthorityMaterial {
  readonly caCertificatePem: string;
  readonly crlPem: string;
  readonly crl: CrlInfo;
}

/** The manifest for `index` and each authority's CRL, stamped `publishedAt`. */
export function buildManifest(index: PkiIndex, material: Readonly<Record<Authority, AuthorityMaterial>>, publishedAt: Date): ClientCaManifest {
  const describe = (authority: Authority): PublishedAuthority => {
    const record = index.authorities[authority];
    const { crl } = material[authority];
    return {
      caCertificate: PUBLISHED_FILES[authority].caCertificate,
      crl: PUBLISHED_FILES[authority].crl,
      subject: record.subject,
      sha256: record.sha256,
      notAfter: record.notAfter,
      crlNumber: crl.number ?? 0,
      crlThisUpdate: crl.thisUpdate.toISOString(),
      crlNextUpdate: crl.nextUpdate?.toISOString() ?? "",
      revoked: crl.serials.length,
    };
  };
  return {
    format: 1,
    deployment: index.deployment,
    publishedAt: publishedAt.toISOString(),
    authorities: { developers: describe("developers"), ci: describe("ci") },
  };
}

/** Every file of a publication into `outDir`; never a private key, since none is handed in. */
export function publicationFiles(
  outDir: string,
  material: Readonly<Record<Authority, AuthorityMaterial>>,
  manifest: ClientCaManifest,
  manifestFile: string,
): FileToWrite[] {
  const files = AUTHORITIES.flatMap((authority) => [
    { path: join(outDir, PUBLISHED_FILES[authority].caCertificate), content: material[authority].caCertificatePem, mode: PUBLIC_FILE_MODE },
    { path: join(outDir, PUBLISHED_FILES[authority].crl), content: material[authority].crlPem, mode: PUBLIC_FILE_MODE },
  ]);
  return [...files, { path: join(outDir, manifestFile), content: renderClientCaManifest(manifest), mode: PUBLIC_FILE_MODE }];
}

/**
 * Whether `outDir` already holds this publication: the same certificates and CRLs, and a manifest equal but for
 * `publishedAt`. Then nothing is rewritten, so a second publish changes no byte and `terraform plan` shows nothing.
 */
export async function alreadyPublished(files: readonly FileToWrite[], manifestPath: string): Promise<string | undefined> {
  let publishedAt: string | undefined;
  for (const file of files) {
    let current: string;
    try {
      current = await readFile(file.path, "utf8");
    } catch {
      return undefined;
    }
    if (file.path !== manifestPath) {
      if (current !== file.content) return undefined;
      continue;
    }
    const before = parseManifestLoosely(current);
    const after = parseManifestLoosely(file.content);
    if (!before || !after || JSON.stringify({ ...before, publishedAt: "" }) !== JSON.stringify({ ...after, publishedAt: "" })) return undefined;
    publishedAt = typeof before.publishedAt === "string" ? before.publishedAt : "";
  }
  return publishedAt;
}

function parseManifestLoosely(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
