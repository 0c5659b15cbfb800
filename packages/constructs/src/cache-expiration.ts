import type { NativeLinkConfig } from "@nativelink-aws/nativelink-config";
import type { IConstruct } from "constructs";
import { NativeLinkPropError } from "./errors.js";

/**
 * How long cache objects live in S3. NativeLink never deletes: bucket lifecycle rules expire objects a
 * fixed time after their last upload, and NativeLink reports an object as missing a little earlier
 * (`consider_expired_after_s`), so Bazel uploads it again (restarting its clock) instead of a build failing
 * on a blob deleted mid-build.
 */
export interface CacheExpirationOptions {
  /**
   * Days after its last upload that an action-cache entry (`ac/`) is deleted. Shorter than the CAS's,
   * so no action result outlives the blobs it names.
   * @default 14
   */
  readonly actionCacheDays?: number;
  /**
   * Days after its last upload that a CAS blob (`cas/`) is deleted.
   * @default 30
   */
  readonly casDays?: number;
  /**
   * How many days before deletion NativeLink already treats an object as missing: longer than your
   * longest build, so nothing a running build relies on is deleted under it.
   * @default 1
   */
  readonly reportMissingDaysBefore?: number;
}

/** A resolved expiration: lifecycle ages and the matching `consider_expired_after_s` per store. */
export interface CacheExpiration {
  readonly lifecycleDays: { readonly cas: number; readonly ac: number };
  readonly considerExpiredAfterSeconds: { readonly cas: number; readonly ac: number };
}

const DAY = 86_400;

export function resolveCacheExpiration(scope: IConstruct, options: CacheExpirationOptions = {}): CacheExpiration {
  const ac = options.actionCacheDays ?? 14;
  const cas = options.casDays ?? 30;
  const margin = options.reportMissingDaysBefore ?? 1;
  const whole = (prop: string, value: number) => {
    if (!Number.isInteger(value) || value < 1)
      throw new NativeLinkPropError(scope.node.path, `cacheExpiration.${prop}`, `${value} is not a whole number of days ≥ 1`, "give whole days");
  };
  whole("actionCacheDays", ac);
  whole("casDays", cas);
  whole("reportMissingDaysBefore", margin);
  if (ac >= cas) {
    throw new NativeLinkPropError(
      scope.node.path,
      "cacheExpiration.actionCacheDays",
      `${ac} days is not shorter than casDays (${cas})`,
      "expire the action cache before the CAS, so no cached result names deleted blobs",
    );
  }
  if (margin >= ac) {
    throw new NativeLinkPropError(
      scope.node.path,
      "cacheExpiration.reportMissingDaysBefore",
      `${margin} days leaves no time before the action cache expires (${ac} days)`,
      "make it shorter than actionCacheDays",
    );
  }
  return { lifecycleDays: { cas, ac }, considerExpiredAfterSeconds: { cas: (cas - margin) * DAY, ac: (ac - margin) * DAY } };
}

/**
 * Checks rendered configurations against the lifecycle ages: every S3 store whose key prefix a rule
 * expires must report objects missing before the rule deletes them (0 = never would be misaligned).
 */
export function checkExpirationAlignment(scope: IConstruct, configs: Record<string, NativeLinkConfig>, ages: Record<string, number>): void {
  for (const [role, config] of Object.entries(configs)) {
    for (const store of s3Stores(config.stores)) {
      const prefix = store.key_prefix ?? "";
      const seconds = store.consider_expired_after_s ?? 0;
      const days = ages[prefix];
      if (days === undefined) continue;
      const considered = Number(seconds);
      if (considered === 0 || considered >= days * DAY) {
        throw new NativeLinkPropError(
          scope.node.path,
          "cacheExpiration",
          `the ${role} configuration's S3 store for "${prefix}" reports objects missing after ${considered} s, ` +
            `not before the bucket deletes them (${days} days = ${days * DAY} s)`,
          "let the cluster derive consider_expired_after_s from cacheExpiration, or set it below the lifecycle age",
        );
      }
    }
  }
}

interface S3StoreFields {
  key_prefix?: string;
  consider_expired_after_s?: number;
}

/** Every `experimental_cloud_object_store`, however deeply nested in wrappers (fast_slow, verify, …). */
function s3Stores(value: unknown): S3StoreFields[] {
  if (value === null || typeof value !== "object") return [];
  const found = Array.isArray(value)
    ? []
    : [(value as Record<string, unknown>).experimental_cloud_object_store as S3StoreFields | undefined].filter((s): s is S3StoreFields => s !== undefined);
  return [...found, ...Object.values(value).flatMap(s3Stores)];
}
