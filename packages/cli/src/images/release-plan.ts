// What `images lock` downloads, and from whom it expects each signature: a pure function of the versions and mirrors.
import { RELEASE_ARCHITECTURES, releaseAssetName, releaseAssetUrl, type ReleaseArchitecture } from "@nativelink-aws/nativelink-config";

/** GitHub Actions' OIDC issuer: Fulcio puts it in every certificate issued to a workflow. */
export const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";
export const NATIVELINK_REPOSITORY = "https://github.com/TraceMachina/nativelink";
export const OTELCOL_REPOSITORY = "https://github.com/open-telemetry/opentelemetry-collector-releases";
/**
 * slsa-github-generator's generic workflow, at a release tag (`vX.Y.Z`): the builder that signs NativeLink's provenance.
 * Any release tag of that one workflow is accepted, as slsa-verifier does; the repository and path are fixed.
 */
export const SLSA_GENERIC_GENERATOR =
  /^https:\/\/github\.com\/slsa-framework\/slsa-github-generator\/\.github\/workflows\/generator_generic_slsa3\.yml@refs\/tags\/v\d+\.\d+\.\d+$/;

/** A file of a release: its name and where it is downloaded from. */
export interface ReleaseFile {
  readonly name: string;
  readonly url: string;
}

/** Who must have signed: the certificate's identity, compared exactly. */
export interface ExpectedSigner {
  /** Subject alternative name (the workflow that signed), exactly; or a pattern for the SLSA generator. */
  readonly subjectAlternativeName: string | RegExp;
  readonly issuer: string;
  /** Fulcio's GitHub extensions: 1.3.6.1.4.1.57264.1.12 (source repository), .14 (source ref), .18 (build config). */
  readonly sourceRepository: string;
  readonly sourceRef: string;
  readonly buildConfig?: string;
}

export interface NativeLinkAssetPlan {
  readonly tarball: ReleaseFile;
  /** cosign sign-blob's base64 DER signature over the tarball. */
  readonly signature: ReleaseFile;
  /** cosign sign-blob's certificate (base64 of the PEM). */
  readonly certificate: ReleaseFile;
}

export interface OtelcolAssetPlan {
  readonly tarball: ReleaseFile;
  /** The bare hex SHA-256 of the tarball. */
  readonly checksum: ReleaseFile;
  /** cosign v3's Sigstore bundle over the tarball. */
  readonly bundle: ReleaseFile;
}

export interface ReleasePlan {
  readonly nativelink: {
    readonly version: string;
    readonly releaseBaseUrl: string;
    /** slsa-github-generator's `nativelink-<version>.intoto.jsonl`: one Sigstore bundle of an in-toto statement. */
    readonly provenance: ReleaseFile;
    readonly provenanceSigner: ExpectedSigner;
    /** The signer of each tarball's `.sig`/`.pem`: NativeLink's release workflow itself. */
    readonly assetSigner: ExpectedSigner;
    readonly assets: Readonly<Record<ReleaseArchitecture, NativeLinkAssetPlan>>;
  };
  readonly otelcol: {
    readonly version: string;
    readonly releaseBaseUrl: string;
    readonly assetSigner: ExpectedSigner;
    readonly assets: Readonly<Record<ReleaseArchitecture, OtelcolAssetPlan>>;
  };
}

export interface ReleasePlanInput {
  /** Versions without a leading "v". */
  readonly nativelinkVersion: string;
  readonly otelcolVersion: string;
  /** `<base>/v<version>/<asset>` for every file. */
  readonly nativelinkReleaseBaseUrl: string;
  readonly otelcolReleaseBaseUrl: string;
}

function file(baseUrl: string, version: string, name: string): ReleaseFile {
  return { name, url: releaseAssetUrl(baseUrl, version, name) };
}

export function perArchitecture<T>(make: (architecture: ReleaseArchitecture) => T): Record<ReleaseArchitecture, T> {
  return Object.fromEntries(RELEASE_ARCHITECTURES.map((architecture) => [architecture, make(architecture)])) as Record<ReleaseArchitecture, T>;
}

export function planRelease(input: ReleasePlanInput): ReleasePlan {
  const nl = { version: input.nativelinkVersion, base: input.nativelinkReleaseBaseUrl };
  const tag = `refs/tags/v${nl.version}`;
  const nativelinkWorkflow = `${NATIVELINK_REPOSITORY}/.github/workflows/release.yaml@${tag}`;
  const otel = { version: input.otelcolVersion, base: input.otelcolReleaseBaseUrl };
  const otelTag = `refs/tags/v${otel.version}`;
  return {
    nativelink: {
      version: nl.version,
      releaseBaseUrl: nl.base,
      provenance: file(nl.base, nl.version, `nativelink-${nl.version}.intoto.jsonl`),
      provenanceSigner: {
        subjectAlternativeName: SLSA_GENERIC_GENERATOR,
        issuer: GITHUB_ACTIONS_ISSUER,
        sourceRepository: NATIVELINK_REPOSITORY,
        sourceRef: tag,
        buildConfig: nativelinkWorkflow,
      },
      assetSigner: { subjectAlternativeName: nativelinkWorkflow, issuer: GITHUB_ACTIONS_ISSUER, sourceRepository: NATIVELINK_REPOSITORY, sourceRef: tag },
      assets: perArchitecture((architecture) => {
        const name = releaseAssetName("nativelink", nl.version, architecture);
        const at = (fileName: string) => file(nl.base, nl.version, fileName);
        return { tarball: at(name), signature: at(`${name}.sig`), certificate: at(`${name}.pem`) };
      }),
    },
    otelcol: {
      version: otel.version,
      releaseBaseUrl: otel.base,
      assetSigner: {
        subjectAlternativeName: `${OTELCOL_REPOSITORY}/.github/workflows/base-release.yaml@${otelTag}`,
        issuer: GITHUB_ACTIONS_ISSUER,
        sourceRepository: OTELCOL_REPOSITORY,
        sourceRef: otelTag,
      },
      assets: perArchitecture((architecture) => {
        const name = releaseAssetName("otelcol", otel.version, architecture);
        const at = (fileName: string) => file(otel.base, otel.version, fileName);
        return { tarball: at(name), checksum: at(`${name}.sha256`), bundle: at(`${name}.sigstore.json`) };
      }),
    },
  };
}
