// Publishes a NativeLink and an otelcol-contrib release on a ReleaseServer the way their real release workflows do
// (asset names, signature files, provenance), signed by a TestSigstore, with small generated tarballs.
import { createHash, randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { RELEASE_ARCHITECTURES, releaseAssetName, type ReleaseArchitecture } from "@nativelink-aws/nativelink-config";
import type { ReleaseServer } from "./release-server.js";
import type { TestIdentity, TestSigstore } from "./test-sigstore.js";

export const NATIVELINK_REPOSITORY = "https://github.com/TraceMachina/nativelink";
export const OTELCOL_REPOSITORY = "https://github.com/open-telemetry/opentelemetry-collector-releases";
export const SLSA_GENERATOR = "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0";

export type ReleaseIdentities = Record<"provenance" | "nativelinkAssets" | "otelcolAssets", TestIdentity>;

/** The identities the real workflows sign with, for a release tag. */
export function realIdentities(nativelinkVersion: string, otelcolVersion: string): ReleaseIdentities {
  const nativelinkWorkflow = `${NATIVELINK_REPOSITORY}/.github/workflows/release.yaml@refs/tags/v${nativelinkVersion}`;
  return {
    provenance: { san: SLSA_GENERATOR, sourceRepository: NATIVELINK_REPOSITORY, sourceRef: `refs/tags/v${nativelinkVersion}`, buildConfig: nativelinkWorkflow },
    nativelinkAssets: { san: nativelinkWorkflow, sourceRepository: NATIVELINK_REPOSITORY, sourceRef: `refs/tags/v${nativelinkVersion}` },
    otelcolAssets: {
      san: `${OTELCOL_REPOSITORY}/.github/workflows/base-release.yaml@refs/tags/v${otelcolVersion}`,
      sourceRepository: OTELCOL_REPOSITORY,
      sourceRef: `refs/tags/v${otelcolVersion}`,
      buildConfig: `${OTELCOL_REPOSITORY}/.github/workflows/release-contrib.yaml@refs/tags/v${otelcolVersion}`,
    },
  };
}

export interface FakeReleaseOptions {
  readonly nativelinkVersion?: string;
  readonly otelcolVersion?: string;
  /** Sign with another identity than the real workflows' (wrong repository, tag, builder). */
  readonly identities?: Partial<ReleaseIdentities>;
  /** Sign the provenance with another Sigstore (a CA the trusted root does not know). */
  readonly provenanceSigstore?: TestSigstore;
}

export interface FakeReleases {
  readonly nativelinkBaseUrl: string;
  readonly otelcolBaseUrl: string;
  /** What each tarball holds, by asset name. */
  readonly tarballs: ReadonlyMap<string, Buffer>;
  readonly nativelinkVersion: string;
  readonly otelcolVersion: string;
  /** The server path of a file of the NativeLink or otelcol release. */
  path(tool: "nativelink" | "otelcol", name: string): string;
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

function tarball(label: string): Buffer {
  return gzipSync(Buffer.concat([Buffer.from(`${label}\n`), randomBytes(2048)]));
}

export async function publishFakeReleases(server: ReleaseServer, sigstore: TestSigstore, options: FakeReleaseOptions = {}): Promise<FakeReleases> {
  const nativelinkVersion = options.nativelinkVersion ?? "1.6.6";
  const otelcolVersion = options.otelcolVersion ?? "0.161.0";
  const identities = { ...realIdentities(nativelinkVersion, otelcolVersion), ...options.identities };
  const path = (tool: "nativelink" | "otelcol", name: string) => `/${tool}/v${tool === "nativelink" ? nativelinkVersion : otelcolVersion}/${name}`;
  const serve = (tool: "nativelink" | "otelcol", name: string, content: Buffer | string) => server.files.set(path(tool, name), Buffer.from(content));
  const tarballs = new Map<string, Buffer>();

  const nativelinkSigner = await sigstore.issue(identities.nativelinkAssets);
  const subjects: { name: string; digest: { sha256: string } }[] = [];
  for (const architecture of RELEASE_ARCHITECTURES) {
    const name = releaseAssetName("nativelink", nativelinkVersion, architecture);
    const bytes = tarball(name);
    tarballs.set(name, bytes);
    serve("nativelink", name, bytes);
    const { signature, certificate } = sigstore.cosignBlob(bytes, nativelinkSigner);
    serve("nativelink", `${name}.sig`, signature);
    serve("nativelink", `${name}.pem`, certificate);
    subjects.push({ name, digest: { sha256: sha256(bytes) } });
  }
  // The real provenance also lists the macOS tarball.
  subjects.push({ name: `nativelink-${nativelinkVersion}-aarch64-apple-darwin.tar.gz`, digest: { sha256: sha256(Buffer.from("darwin")) } });
  const provenanceSigstore = options.provenanceSigstore ?? sigstore;
  const statement = {
    _type: "https://in-toto.io/Statement/v0.1",
    predicateType: "https://slsa.dev/provenance/v0.2",
    subject: subjects,
    predicate: { builder: { id: SLSA_GENERATOR }, buildType: "https://github.com/slsa-framework/slsa-github-generator/generic@v1" },
  };
  const provenance = provenanceSigstore.dsseBundle(statement, await provenanceSigstore.issue(identities.provenance));
  serve("nativelink", `nativelink-${nativelinkVersion}.intoto.jsonl`, JSON.stringify(provenance));

  for (const architecture of RELEASE_ARCHITECTURES satisfies readonly ReleaseArchitecture[]) {
    const name = releaseAssetName("otelcol", otelcolVersion, architecture);
    const bytes = tarball(name);
    tarballs.set(name, bytes);
    serve("otelcol", name, bytes);
    serve("otelcol", `${name}.sha256`, sha256(bytes));
    serve("otelcol", `${name}.sigstore.json`, JSON.stringify(sigstore.messageSignatureBundle(bytes, await sigstore.issue(identities.otelcolAssets))));
  }
  return {
    nativelinkBaseUrl: `${server.origin}/nativelink`,
    otelcolBaseUrl: `${server.origin}/otelcol`,
    tarballs,
    nativelinkVersion,
    otelcolVersion,
    path,
  };
}
