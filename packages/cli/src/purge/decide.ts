// Purge's decisions, pure: whose bucket it is, whether to delete, and how to cut a listing into batches.
import { TAG_KEYS } from "@nativelink-aws/conventions";
import type { DeleteMarkerEntry, ObjectIdentifier, ObjectVersion } from "@aws-sdk/client-s3";

/** The tag the constructs put on every resource of a deployment. */
export const DEPLOYMENT_TAG = TAG_KEYS.deployment;
/** DeleteObjects takes at most 1,000 keys per request. */
export const BATCH_SIZE = 1000;

export type Ownership = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** A bucket may be purged only when tagged as this deployment's; `tags` is undefined when it has none. */
export function decideOwnership(bucket: string, tags: Readonly<Record<string, string>> | undefined, deployment: string): Ownership {
  const owner = tags?.[DEPLOYMENT_TAG];
  if (owner === deployment) return { allowed: true };
  const found = owner === undefined ? `has no ${DEPLOYMENT_TAG} tag` : `is tagged ${DEPLOYMENT_TAG}=${owner}`;
  return {
    allowed: false,
    reason:
      `bucket ${bucket} ${found}, so it is not deployment "${deployment}"'s: ` +
      `refusing to empty it${owner === undefined ? "" : ` (pass --deployment ${owner} if that is the one)`}`,
  };
}

export type DeletionDecision = "nothing-to-delete" | "dry-run" | "delete" | "prompt" | "refuse";

/** Deleting needs --yes, or a person at a terminal who types the bucket name. */
export function decideDeletion(input: { objects: number; dryRun: boolean; yes: boolean; interactive: boolean }): DeletionDecision {
  if (input.objects === 0) return "nothing-to-delete";
  if (input.dryRun) return "dry-run";
  if (input.yes) return "delete";
  return input.interactive ? "prompt" : "refuse";
}

export interface ListingPage {
  readonly Versions?: readonly ObjectVersion[];
  readonly DeleteMarkers?: readonly DeleteMarkerEntry[];
}

export interface PageSummary {
  readonly versions: number;
  readonly deleteMarkers: number;
  readonly bytes: number;
}

export function summarizePage(page: ListingPage): PageSummary {
  const versions = page.Versions ?? [];
  return { versions: versions.length, deleteMarkers: page.DeleteMarkers?.length ?? 0, bytes: versions.reduce((sum, version) => sum + (version.Size ?? 0), 0) };
}

export interface DeleteBatch {
  readonly objects: ObjectIdentifier[];
  readonly bytes: number;
}

/** Every version and delete marker of a page, in batches of at most BATCH_SIZE. */
export function deleteBatches(page: ListingPage, batchSize = BATCH_SIZE): DeleteBatch[] {
  const entries = [
    ...(page.Versions ?? []).map((version) => ({ id: { Key: version.Key ?? "", VersionId: version.VersionId }, bytes: version.Size ?? 0 })),
    ...(page.DeleteMarkers ?? []).map((marker) => ({ id: { Key: marker.Key ?? "", VersionId: marker.VersionId }, bytes: 0 })),
  ];
  const batches: DeleteBatch[] = [];
  for (let start = 0; start < entries.length; start += batchSize) {
    const slice = entries.slice(start, start + batchSize);
    batches.push({ objects: slice.map((entry) => entry.id), bytes: slice.reduce((sum, entry) => sum + entry.bytes, 0) });
  }
  return batches;
}

/** `1,234,567 bytes` as `1.2 MB` (decimal units, as the S3 console shows them). */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "kB", "MB", "GB", "TB", "PB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
