// Buckets in moto shaped like the deployment's: versioned, tagged nativelink:deployment, full of versions.
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { unique } from "./moto.js";

export interface BucketFixture {
  readonly versioned?: boolean;
  readonly tags?: Record<string, string>;
  /** Keys written `versionsPerKey` times each. */
  readonly keys?: number;
  readonly versionsPerKey?: number;
  /** Keys (from the first) deleted without a version id: a delete marker each. */
  readonly deleteMarkers?: number;
  readonly bodyBytes?: number;
}

async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

export async function createBucket(s3: S3Client, fixture: BucketFixture = {}): Promise<string> {
  const bucket = `purge-${unique()}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  if (fixture.versioned ?? true) await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
  if (fixture.tags)
    await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: Object.entries(fixture.tags).map(([Key, Value]) => ({ Key, Value })) } }));
  const keys = Array.from({ length: fixture.keys ?? 0 }, (_, index) => `cas/${String(index).padStart(5, "0")}`);
  const body = "x".repeat(fixture.bodyBytes ?? 10);
  for (let version = 0; version < (fixture.versionsPerKey ?? 1); version += 1) {
    await inParallel(keys, 16, (Key) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: body })));
  }
  const marked = keys.slice(0, fixture.deleteMarkers ?? 0);
  for (let start = 0; start < marked.length; start += 1000) {
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: marked.slice(start, start + 1000).map((Key) => ({ Key })), Quiet: true } }));
  }
  return bucket;
}

/** Versions and delete markers left in the bucket. */
export async function countEntries(s3: S3Client, bucket: string): Promise<{ versions: number; deleteMarkers: number }> {
  const count = { versions: 0, deleteMarkers: 0 };
  let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, ...markers }));
    count.versions += page.Versions?.length ?? 0;
    count.deleteMarkers += page.DeleteMarkers?.length ?? 0;
    if (!page.IsTruncated) return count;
    markers = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
  }
}
