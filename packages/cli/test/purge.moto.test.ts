// purge against moto's S3: thousands of versions and delete markers, tags, confirmation, interruption.
import { S3Client } from "@aws-sdk/client-s3";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { purgeBucket } from "../src/purge/bucket.js";
import { countEntries, createBucket } from "./support/buckets.js";
import { useMoto } from "./support/moto.js";
import { runCli } from "./support/run-cli.js";

const { clientConfig } = useMoto();
const s3 = new S3Client({ ...clientConfig, forcePathStyle: true });
const ours = { "nativelink:deployment": "nativelink", "nativelink:bucket": "cas" };
/** 1,000 keys × 2 versions + 500 delete markers = 2,500 entries, 10 bytes per version. */
const big = { tags: ours, keys: 1000, versionsPerKey: 2, deleteMarkers: 500 };

describe("purge", () => {
  let bucket: string;
  beforeAll(async () => {
    bucket = await createBucket(s3, big);
    expect(await countEntries(s3, bucket)).toEqual({ versions: 2000, deleteMarkers: 500 });
  });

  it("--dry-run counts versions, delete markers and bytes, and deletes nothing", async () => {
    const result = await runCli(["purge", "--bucket", bucket, "--dry-run"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${bucket}: 2,000 object versions and 500 delete markers (20.0 kB)`);
    expect(result.stdout).toContain("dry run: nothing deleted");
    expect(await countEntries(s3, bucket)).toEqual({ versions: 2000, deleteMarkers: 500 });
  });

  it("--dry-run --json prints the counts as data", async () => {
    const result = await runCli(["purge", "--bucket", bucket, "--dry-run", "--json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      deployment: "nativelink",
      decision: "dry-run",
      buckets: [{ bucket, versions: 2000, deleteMarkers: 500, bytes: 20000 }],
    });
  });

  it("without --yes and without a terminal it refuses (exit 4) and deletes nothing", async () => {
    const result = await runCli(["purge", "--bucket", bucket]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("nothing deleted: pass --yes to delete (no terminal to ask for confirmation)");
    expect(await countEntries(s3, bucket)).toEqual({ versions: 2000, deleteMarkers: 500 });
  });

  it("at a terminal, a mistyped bucket name deletes nothing (exit 4)", async () => {
    const result = await runCli(["purge", "--bucket", bucket], { typed: `${bucket}-typo\n` });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("Type the bucket name to confirm");
    expect(result.stderr).toContain("the typed name did not match");
    expect(await countEntries(s3, bucket)).toEqual({ versions: 2000, deleteMarkers: 500 });
  });

  it("an interrupted purge stops between batches, and a rerun empties the bucket", async () => {
    const interruptible = await createBucket(s3, big);
    const stop = new AbortController();
    const first = await purgeBucket(s3, interruptible, { signal: stop.signal, onBatch: () => stop.abort() });
    expect(first).toEqual({ objects: 1000, bytes: expect.any(Number), batches: 1, complete: false, stoppedBy: "signal" });
    const left = await countEntries(s3, interruptible);
    expect(left.versions + left.deleteMarkers).toBe(1500);

    const rerun = await runCli(["purge", "--bucket", interruptible, "--yes"]);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain(`${interruptible}: deleted 1,500 in 2 batches`);
    expect(await countEntries(s3, interruptible)).toEqual({ versions: 0, deleteMarkers: 0 });
  });

  it("--max-batches 1 deletes one batch of 1,000 and says to rerun; an abort while counting exits 130", async () => {
    const limited = await createBucket(s3, big);
    const once = await runCli(["purge", "--bucket", limited, "--yes", "--max-batches", "1"]);
    expect(once.code).toBe(0);
    expect(once.stdout).toContain(`${limited}: deleted 1,000 in 1 batches`);
    expect(once.stdout).toContain("stopped after --max-batches; rerun to continue");
    const left = await countEntries(s3, limited);
    expect(left.versions + left.deleteMarkers).toBe(1500);

    const interrupted = await runCli(["purge", "--bucket", limited, "--yes"], { signal: AbortSignal.abort() });
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toContain(`interrupted while counting ${limited}; nothing deleted`);
    const still = await countEntries(s3, limited);
    expect(still.versions + still.deleteMarkers).toBe(1500);
  });

  it("Ctrl-C on the real binary stops after the batch in flight (exit 130); a rerun finishes", async () => {
    const interrupted = await createBucket(s3, big);
    const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
    const child = spawn(process.execPath, [main, "purge", "--bucket", interrupted, "--yes"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // The count is printed just before deletion starts (and the Ctrl-C handler is installed).
    await new Promise<void>((resolve) =>
      child.stdout.on("data", (chunk: Buffer) => ((stdout += chunk.toString()).includes("delete markers") ? resolve() : undefined)),
    );
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(stderr).toContain("stopping after the batch in flight");
    expect(code).toBe(130);
    const left = await countEntries(s3, interrupted);
    expect(left.versions + left.deleteMarkers).toBeGreaterThanOrEqual(1500);
    expect((await runCli(["purge", "--bucket", interrupted, "--yes"])).code).toBe(0);
    expect(await countEntries(s3, interrupted)).toEqual({ versions: 0, deleteMarkers: 0 });
  });

  it("at a terminal, typing the bucket name empties it, with a progress bar on stderr", async () => {
    const typedBucket = await createBucket(s3, { tags: ours, keys: 1200, deleteMarkers: 100 });
    const result = await runCli(["purge", "--bucket", typedBucket], { typed: `${typedBucket}\n`, stderrTty: true });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${typedBucket}: 1,200 object versions and 100 delete markers`);
    expect(result.stdout).toContain(`${typedBucket}: deleted 1,300 in 2 batches (12.0 kB); empty`);
    expect(result.stderr).toMatch(/1300\/1300 objects/);
    expect(await countEntries(s3, typedBucket)).toEqual({ versions: 0, deleteMarkers: 0 });
  });

  it("refuses a bucket that is not tagged as this deployment's, before deleting anything", async () => {
    const untagged = await createBucket(s3, { keys: 3, tags: undefined });
    const other = await createBucket(s3, { keys: 3, tags: { "nativelink:deployment": "staging" } });
    const result = await runCli(["purge", "--bucket", bucket, "--bucket", untagged, "--bucket", other, "--yes"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(`bucket ${untagged} has no nativelink:deployment tag, so it is not deployment "nativelink"'s: refusing to empty it`);
    expect(result.stderr).toContain(`bucket ${other} is tagged nativelink:deployment=staging`);
    expect(result.stderr).toContain("(pass --deployment staging if that is the one)");
    expect(await countEntries(s3, untagged)).toEqual({ versions: 3, deleteMarkers: 0 });
    expect(await countEntries(s3, bucket)).toEqual({ versions: 2000, deleteMarkers: 500 });
  });

  it("--outputs empties the CAS and access-log buckets of the named deployment, versioned or not", async () => {
    const tags = { "nativelink:deployment": "ci-cache" };
    const cas = await createBucket(s3, { tags, keys: 5, versionsPerKey: 2, deleteMarkers: 1 });
    const logs = await createBucket(s3, { tags, keys: 4, versioned: false });
    const dir = mkdtempSync(join(tmpdir(), "purge-outputs-"));
    const outputs = {
      cas_bucket_name: { value: cas, type: "string", sensitive: false },
      access_logs_bucket_name: { value: logs, type: "string", sensitive: false },
    };
    writeFileSync(join(dir, "outputs.json"), JSON.stringify(outputs));
    const result = await runCli(["purge", "--outputs", "outputs.json", "--deployment", "ci-cache", "--yes", "--json"], { cwd: dir });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { buckets: { bucket: string; deleted: { objects: number; complete: boolean } }[] };
    expect(report.buckets.map((entry) => [entry.bucket, entry.deleted.objects, entry.deleted.complete])).toEqual([
      [cas, 11, true],
      [logs, 4, true],
    ]);
    expect(result.stderr).toBe("");
    expect(await countEntries(s3, cas)).toEqual({ versions: 0, deleteMarkers: 0 });
    expect(await countEntries(s3, logs)).toEqual({ versions: 0, deleteMarkers: 0 });
  });

  it("an empty bucket needs no confirmation", async () => {
    const empty = await createBucket(s3, { tags: ours });
    const result = await runCli(["purge", "--bucket", empty]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("nothing to delete");
  });

  it("a bucket that does not exist is an AWS error (exit 3)", async () => {
    const result = await runCli(["purge", "--bucket", "no-such-bucket-anywhere-0", "--yes"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("bucket no-such-bucket-anywhere-0 does not exist");
  });

  it.each([
    [["purge"], /give --bucket NAME \(repeatable\) or --outputs FILE/],
    [["purge", "--bucket", "Bad_Bucket"], /--bucket: "Bad_Bucket" is not an S3 bucket name/],
    [["purge", "--bucket", "abc", "--yes", "--dry-run"], /--dry-run and --yes contradict each other/],
    [["purge", "--bucket", "abc", "--max-batches", "0"], /--max-batches: "0" is less than 1, e.g. 10/],
    [
      ["purge", "--bucket", "abc", "--deployment", "Bad Name"],
      new RegExp(
        '--deployment: "Bad Name" is not a deployment name ' +
          "\\(2-20 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen\\), e.g. nativelink",
      ),
    ],
    [["purge", "--outputs", "/no/such/outputs.json"], /cannot read --outputs \/no\/such\/outputs.json: ENOENT/],
  ])("usage error %j: exit 2", async (argv, message) => {
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
