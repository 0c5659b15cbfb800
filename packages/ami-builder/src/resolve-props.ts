import { DEFAULT_DEPLOYMENT_NAME, NativeLinkPropError, checkDeploymentName, nativeLinkLogGroupName } from "@nativelink-aws/conventions";
import { ImagesLockSchema, type ImagesLock, type LockedRelease } from "@nativelink-aws/nativelink-config";
import { Token } from "cdktf";
import { ARCHITECTURES, perArchitecture, type PerArchitecture } from "./architectures.js";
import {
  DEFAULT_BASE_IMAGE_SSM_PARAMETERS,
  DEFAULT_BUILDER_INSTANCE_TYPES,
  DEFAULT_NATIVELINK_RELEASE_BASE_URL,
  DEFAULT_NATIVELINK_VERSION,
  DEFAULT_OTELCOL_RELEASE_BASE_URL,
  DEFAULT_OTELCOL_VERSION,
  type NativeLinkImageProps,
} from "./props.js";

const RELEASE_VERSION = /^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/;
const SHA256 = /^[0-9a-fA-F]{64}$/;
const AMI_ID = /^ami-[0-9a-f]{8,17}$/;
const LOG_GROUP_NAME = /^[A-Za-z0-9_\-/.#]{1,512}$/;

/** Everything a bake needs, validated and with defaults applied. */
export interface BakeSettings {
  readonly name: string;
  readonly vpcId: string;
  readonly subnetId: string;
  readonly nativelinkVersion: string;
  readonly nativelinkSha256: PerArchitecture<string>;
  readonly nativelinkReleaseBaseUrl: string;
  readonly otelcolVersion: string;
  readonly otelcolSha256: PerArchitecture<string>;
  readonly otelcolReleaseBaseUrl: string;
  readonly metricsPort: number;
  readonly stopTimeoutSeconds: number;
  readonly cloudWatchLogs: boolean;
  readonly logGroupName: string;
  readonly baseImageSsmParameters: PerArchitecture<string>;
  readonly builderInstanceTypes: PerArchitecture<readonly string[]>;
  readonly keepBuilderOnFailure: boolean;
  readonly rootVolumeSizeGib: number;
  readonly imageTestsEnabled: boolean;
  readonly bakeRevision: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** Validates props one at a time; each failure names the prop and the fix. */
class PropChecker {
  constructor(private readonly path: string) {}

  fail(prop: string, problem: string, fix: string, value?: unknown): never {
    throw new NativeLinkPropError(this.path, prop, problem, fix, value);
  }

  literal(prop: string, value: string): string {
    if (Token.isUnresolved(value)) this.fail(prop, "it is a Terraform token, but it shapes the image at synth time", "pass a literal string", value);
    return value;
  }

  required<T>(prop: string, value: T | undefined, fix: string): T {
    if (value === undefined || value === "") this.fail(prop, "it is required when baking images", fix, value);
    return value;
  }

  matches(prop: string, value: string, pattern: RegExp, expected: string): string {
    if (!pattern.test(this.literal(prop, value))) this.fail(prop, `"${value}" is not ${expected}`, `pass ${expected}`, value);
    return value;
  }

  integer(prop: string, value: number, min: number, max: number): number {
    if (!Number.isInteger(value) || value < min || value > max)
      this.fail(prop, `${value} is not an integer from ${min} to ${max}`, `pass an integer from ${min} to ${max}`, value);
    return value;
  }

  perArchitecture<T>(prop: string, value: PerArchitecture<T>, check: (item: T, prop: string) => T): PerArchitecture<T> {
    for (const key of Object.keys(value)) {
      if (!ARCHITECTURES.includes(key as never)) this.fail(prop, `"${key}" is not an architecture`, `use the keys ${ARCHITECTURES.join(" and ")}`, key);
    }
    return perArchitecture((architecture) => {
      const item = value[architecture];
      if (item === undefined) this.fail(prop, `it has no ${architecture} entry`, `give one value for each of ${ARCHITECTURES.join(" and ")}`, value);
      return check(item, `${prop}.${architecture}`);
    });
  }

  version(prop: string, value: string): string {
    const match = RELEASE_VERSION.exec(this.literal(prop, value));
    if (!match?.[1]) this.fail(prop, `"${value}" is not a release version`, 'pass a version such as "1.6.6" or "v1.6.6"', value);
    return match[1];
  }

  httpsBase(prop: string, value: string): string {
    if (!/^https:\/\/[^\s'"]+[^/]$/.test(this.literal(prop, value)))
      this.fail(prop, `"${value}" is not an https URL without a trailing slash`, "pass e.g. https://mirror.example.com/releases", value);
    return value;
  }
}

/** The deployment name, checked: a literal, by the rule every package shares. */
export function resolveName(path: string, name: string | undefined): string {
  return checkDeploymentName(path, new PropChecker(path).literal("name", name ?? DEFAULT_DEPLOYMENT_NAME));
}

/** The props an images lock file replaces. */
const LOCKED_PROPS = [
  "nativelinkVersion",
  "nativelinkSha256",
  "nativelinkReleaseBaseUrl",
  "otelcolVersion",
  "otelcolSha256",
  "otelcolReleaseBaseUrl",
] as const satisfies readonly (keyof NativeLinkImageProps)[];

const BAKE_ONLY_PROPS = [
  "lock",
  "vpcId",
  "subnetId",
  "nativelinkVersion",
  "nativelinkSha256",
  "nativelinkReleaseBaseUrl",
  "otelcolVersion",
  "otelcolSha256",
  "otelcolReleaseBaseUrl",
  "stopTimeoutSeconds",
  "cloudWatchLogs",
  "baseImageSsmParameters",
  "builderInstanceTypes",
  "keepBuilderOnFailure",
  "rootVolumeSizeGib",
  "imageTestsEnabled",
  "bakeRevision",
] as const satisfies readonly (keyof NativeLinkImageProps)[];

/** What the cluster needs to know of AMIs baked elsewhere. */
export interface ExistingImageSettings {
  readonly name: string;
  readonly amiIds: PerArchitecture<string>;
  readonly metricsPort: number;
  readonly logGroupName: string | undefined;
}

/** The AMI ids to reuse, checked; bake-only props alongside them are a mistake worth stopping for. */
export function resolveExistingImages(path: string, props: NativeLinkImageProps & { existingAmiIds: PerArchitecture<string> }): ExistingImageSettings {
  const checker = new PropChecker(path);
  const unused = BAKE_ONLY_PROPS.find((prop) => props[prop] !== undefined);
  if (unused) checker.fail(unused, "existingAmiIds skips baking, so this prop would be ignored", `remove ${unused}, or remove existingAmiIds to bake`);
  return {
    name: resolveName(path, props.name),
    amiIds: checker.perArchitecture("existingAmiIds", props.existingAmiIds, (id, prop) =>
      Token.isUnresolved(id) ? id : checker.matches(prop, id, AMI_ID, 'an AMI id such as "ami-0123456789abcdef0"'),
    ),
    metricsPort: metricsPort(checker, props.metricsPort),
    logGroupName:
      props.logGroupName === undefined ? undefined : checker.matches("logGroupName", props.logGroupName, LOG_GROUP_NAME, "a CloudWatch Logs group name"),
  };
}

function metricsPort(checker: PropChecker, port: number | undefined): number {
  const checked = checker.integer("metricsPort", port ?? 9464, 1024, 65535);
  if (checked === 4317) checker.fail("metricsPort", "4317 is where the collector receives OTLP", "pick another port, e.g. 9464");
  return checked;
}

export function resolveBakeSettings(path: string, given: NativeLinkImageProps): BakeSettings {
  const checker = new PropChecker(path);
  const props = given.lock ? withLockedReleases(checker, given, given.lock) : given;
  const name = resolveName(path, props.name);
  const sha256 = (prop: string, fix: string, value: PerArchitecture<string> | undefined) =>
    checker.perArchitecture(prop, checker.required(prop, value, fix), (hash, itemProp) =>
      checker.matches(itemProp, hash, SHA256, "a SHA-256 of 64 hex digits").toLowerCase(),
    );
  const logGroupName = checker.matches("logGroupName", props.logGroupName ?? nativeLinkLogGroupName(name), LOG_GROUP_NAME, "a CloudWatch Logs group name");
  return {
    name,
    vpcId: checker.required("vpcId", props.vpcId, "pass the id of the VPC that holds subnetId, or pass existingAmiIds instead of baking"),
    subnetId: checker.required(
      "subnetId",
      props.subnetId,
      "pass a subnet with internet egress (NAT gateway or public IPs), or pass existingAmiIds instead of baking",
    ),
    nativelinkVersion: checker.version("nativelinkVersion", props.nativelinkVersion ?? DEFAULT_NATIVELINK_VERSION),
    nativelinkSha256: sha256(
      "nativelinkSha256",
      "pass { x86_64, arm64 } with the SHA-256 of each release tarball (see the README), or pass existingAmiIds",
      props.nativelinkSha256,
    ),
    nativelinkReleaseBaseUrl: checker.httpsBase("nativelinkReleaseBaseUrl", props.nativelinkReleaseBaseUrl ?? DEFAULT_NATIVELINK_RELEASE_BASE_URL),
    otelcolVersion: checker.version("otelcolVersion", props.otelcolVersion ?? DEFAULT_OTELCOL_VERSION),
    otelcolSha256: sha256(
      "otelcolSha256",
      "pass { x86_64, arm64 } with the SHA-256 of each otelcol-contrib tarball (see the README), or pass existingAmiIds",
      props.otelcolSha256,
    ),
    otelcolReleaseBaseUrl: checker.httpsBase("otelcolReleaseBaseUrl", props.otelcolReleaseBaseUrl ?? DEFAULT_OTELCOL_RELEASE_BASE_URL),
    metricsPort: metricsPort(checker, props.metricsPort),
    stopTimeoutSeconds: checker.integer("stopTimeoutSeconds", props.stopTimeoutSeconds ?? 3600, 30, 7 * 24 * 3600),
    cloudWatchLogs: props.cloudWatchLogs ?? true,
    logGroupName,
    baseImageSsmParameters: checker.perArchitecture(
      "baseImageSsmParameters",
      props.baseImageSsmParameters ?? DEFAULT_BASE_IMAGE_SSM_PARAMETERS,
      (parameter, prop) => checker.matches(prop, parameter, /^\/[A-Za-z0-9_.\-/]+$/, 'an SSM parameter name starting with "/"'),
    ),
    builderInstanceTypes: checker.perArchitecture("builderInstanceTypes", props.builderInstanceTypes ?? DEFAULT_BUILDER_INSTANCE_TYPES, (types, prop) => {
      if (types.length === 0) checker.fail(prop, "it is empty", "list at least one instance type of that architecture");
      return types.map((type) => checker.matches(prop, type, /^[a-z0-9-]+\.[a-z0-9-]+$/, 'an EC2 instance type such as "m6i.large"'));
    }),
    keepBuilderOnFailure: props.keepBuilderOnFailure ?? false,
    rootVolumeSizeGib: checker.integer("rootVolumeSizeGib", props.rootVolumeSizeGib ?? 16, 8, 16384),
    imageTestsEnabled: props.imageTestsEnabled ?? true,
    bakeRevision: checker.matches("bakeRevision", props.bakeRevision ?? "1", /^\S.*$/, 'a non-empty revision such as "2026-09-01"'),
    tags: props.tags ?? {},
  };
}

/** The release props from a lock file; giving them beside it would leave two answers to one question. */
function withLockedReleases(checker: PropChecker, props: NativeLinkImageProps, lock: ImagesLock): NativeLinkImageProps {
  const both = LOCKED_PROPS.find((prop) => props[prop] !== undefined);
  if (both) checker.fail(both, "the images lock file (lock) already pins it", `remove ${both}, or remove lock`);
  const checked = ImagesLockSchema.safeParse(lock);
  if (!checked.success)
    checker.fail("lock", `it is not a valid images lock: ${checked.error.issues[0]?.message ?? "unknown problem"}`, "pass the result of readImagesLockFile()");
  const sha256 = (release: LockedRelease) => perArchitecture((architecture) => release.assets[architecture].sha256);
  return {
    ...props,
    nativelinkVersion: lock.nativelink.version,
    nativelinkSha256: sha256(lock.nativelink),
    nativelinkReleaseBaseUrl: lock.nativelink.releaseBaseUrl,
    otelcolVersion: lock.otelcol.version,
    otelcolSha256: sha256(lock.otelcol),
    otelcolReleaseBaseUrl: lock.otelcol.releaseBaseUrl,
  };
}
