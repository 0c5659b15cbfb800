// The S3 calls of purge: a bucket's tags, a count of what it holds, and deletion batch by batch.
// Each batch lists from the start and deletes what it lists, so an interrupted purge resumes on rerun.
import { DeleteObjectsCommand, GetBucketTaggingCommand, ListObjectVersionsCommand, S3Client } from "@aws-sdk/client-s3";
import { awsClientConfig, type AwsTarget } from "../aws-clients.js";
import { awsCall } from "../aws-errors.js";
import { AwsError, InterruptedError } from "../errors.js";
import { BATCH_SIZE, deleteBatches, summarizePage, type PageSummary } from "./decide.js";

export function createS3(target: AwsTarget): S3Client {
  return new S3Client(awsClientConfig(target));
}

/** The bucket's tags, or undefined when it has none. */
export async function bucketTags(s3: S3Client, bucket: string): Promise<Record<string, string> | undefined> {
  try {
    const tagging = await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }));
    return Object.fromEntries((tagging.TagSet ?? []).map((tag) => [tag.Key ?? "", tag.Value ?? ""]));
  } catch (error) {
    if ((error as Error).name === "NoSuchTagSet") return undefined;
    if ((error as Error).name === "NoSuchBucket") throw new AwsError(`bucket ${bucket} does not exist (or is in another account): check --bucket / --outputs`);
    throw error;
  }
}

/** How many object versions and delete markers the bucket holds, and their bytes. */
export async function surveyBucket(s3: S3Client, bucket: string, signal?: AbortSignal): Promise<PageSummary> {
  const total = { versions: 0, deleteMarkers: 0, bytes: 0 };
  let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
  for (;;) {
    if (signal?.aborted) throw new InterruptedError(`interrupted while counting ${bucket}; nothing deleted`);
    const page = await awsCall(`s3:ListObjectVersions ${bucket}`, () =>
      s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: BATCH_SIZE, ...markers })),
    );
    const summary = summarizePage(page);
    total.versions += summary.versions;
    total.deleteMarkers += summary.deleteMarkers;
    total.bytes += summary.bytes;
    if (!page.IsTruncated) return total;
    markers = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
  }
}

export interface PurgeProgress {
  readonly objects: number;
  readonly bytes: number;
}

export interface PurgeOptions {
  /** Checked before each batch: an abort stops cleanly between batches. */
  readonly signal?: AbortSignal;
  /** Stop after this many batches (a rerun continues). */
  readonly maxBatches?: number;
  /** Called after each deleted batch with that batch's counts. */
  readonly onBatch?: (batch: PurgeProgress) => void;
}

export interface PurgeResult extends PurgeProgress {
  readonly batches: number;
  /** True when the bucket is empty. */
  readonly complete: boolean;
  /** Why it stopped before the bucket was empty. */
  readonly stoppedBy?: "signal" | "max-batches";
}

export async function purgeBucket(s3: S3Client, bucket: string, options: PurgeOptions = {}): Promise<PurgeResult> {
  let objects = 0;
  let bytes = 0;
  let batches = 0;
  const stopped = (): PurgeResult | undefined => {
    if (options.signal?.aborted) return { objects, bytes, batches, complete: false, stoppedBy: "signal" };
    if (options.maxBatches !== undefined && batches >= options.maxBatches) return { objects, bytes, batches, complete: false, stoppedBy: "max-batches" };
    return undefined;
  };
  for (;;) {
    const early = stopped();
    if (early) return early;
    const page = await awsCall(`s3:ListObjectVersions ${bucket}`, () => s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: BATCH_SIZE })));
    const pageBatches = deleteBatches(page);
    if (pageBatches.length === 0) return { objects, bytes, batches, complete: true };
    for (const batch of pageBatches) {
      const between = stopped();
      if (between) return between;
      const result = await awsCall(`s3:DeleteObjects ${bucket}`, () =>
        s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.objects, Quiet: true } })),
      );
      const errors = result.Errors ?? [];
      if (errors.length > 0) {
        const first = errors.slice(0, 3).map((error) => `${error.Key} (${error.Code}: ${error.Message})`);
        throw new AwsError(`S3 did not delete ${errors.length} of ${batch.objects.length} objects in ${bucket}, e.g. ${first.join("; ")}`);
      }
      objects += batch.objects.length;
      bytes += batch.bytes;
      batches += 1;
      options.onBatch?.({ objects: batch.objects.length, bytes: batch.bytes });
    }
  }
}
