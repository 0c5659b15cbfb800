// Purge's pure decisions: ownership, confirmation, batching, byte formatting.
import { describe, expect, it } from "vitest";
import { BATCH_SIZE, decideDeletion, decideOwnership, deleteBatches, formatBytes, summarizePage } from "../src/purge/decide.js";

describe("decideOwnership", () => {
  it.each([
    [{ "nativelink:deployment": "nativelink" }, "nativelink", true],
    [{ "nativelink:deployment": "staging" }, "nativelink", false],
    [{ Name: "logs" }, "nativelink", false],
    [undefined, "nativelink", false],
    [{ "nativelink:deployment": "ci-cache" }, "ci-cache", true],
  ])("tags %j for deployment %s → allowed %s", (tags, deployment, allowed) => {
    expect(decideOwnership("b", tags, deployment).allowed).toBe(allowed);
  });
});

describe("decideDeletion", () => {
  it.each([
    [{ objects: 0, dryRun: false, yes: false, interactive: false }, "nothing-to-delete"],
    [{ objects: 0, dryRun: false, yes: true, interactive: false }, "nothing-to-delete"],
    [{ objects: 5, dryRun: true, yes: false, interactive: true }, "dry-run"],
    [{ objects: 5, dryRun: false, yes: true, interactive: false }, "delete"],
    [{ objects: 5, dryRun: false, yes: true, interactive: true }, "delete"],
    [{ objects: 5, dryRun: false, yes: false, interactive: true }, "prompt"],
    [{ objects: 5, dryRun: false, yes: false, interactive: false }, "refuse"],
  ])("%j → %s", (input, decision) => {
    expect(decideDeletion(input)).toBe(decision);
  });
});

describe("deleteBatches", () => {
  const versions = (count: number) => Array.from({ length: count }, (_, index) => ({ Key: `k${index}`, VersionId: `v${index}`, Size: 2 }));
  const markers = (count: number) => Array.from({ length: count }, (_, index) => ({ Key: `d${index}`, VersionId: `m${index}` }));

  it.each([
    [0, 0, []],
    [3, 2, [5]],
    [1000, 0, [1000]],
    [999, 2, [1000, 1]],
    [1500, 1000, [1000, 1000, 500]],
  ])("%i versions and %i delete markers → batches of %j", (versionCount, markerCount, sizes) => {
    const batches = deleteBatches({ Versions: versions(versionCount), DeleteMarkers: markers(markerCount) });
    expect(batches.map((batch) => batch.objects.length)).toEqual(sizes);
    expect(batches.reduce((sum, batch) => sum + batch.bytes, 0)).toBe(versionCount * 2);
  });

  it("names every version and delete marker by key and version id", () => {
    const [batch] = deleteBatches({ Versions: versions(1), DeleteMarkers: markers(1) });
    expect(batch?.objects).toEqual([
      { Key: "k0", VersionId: "v0" },
      { Key: "d0", VersionId: "m0" },
    ]);
    expect(BATCH_SIZE).toBe(1000);
  });

  it("summarizes a page", () => {
    expect(summarizePage({ Versions: versions(4), DeleteMarkers: markers(3) })).toEqual({ versions: 4, deleteMarkers: 3, bytes: 8 });
    expect(summarizePage({})).toEqual({ versions: 0, deleteMarkers: 0, bytes: 0 });
  });
});

describe("formatBytes", () => {
  it.each([
    [0, "0 bytes"],
    [999, "999 bytes"],
    [20_000, "20.0 kB"],
    [1_234_567, "1.2 MB"],
    [5e12, "5.0 TB"],
  ])("%i → %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
