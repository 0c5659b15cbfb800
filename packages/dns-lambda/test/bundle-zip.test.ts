import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createZip } from "../../../tools/lambda/zip.mjs";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const bundler = fileURLToPath(new URL("../../../tools/lambda/bundle-lambda.mjs", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "dns-lambda-zip-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Python's zipfile is an independent reader: names, dates, permissions and contents of each entry. */
function readWithPython(zipPath: string): { name: string; date: number[]; mode: number; sha256: string }[] {
  const script = [
    "import hashlib, json, sys, zipfile",
    "z = zipfile.ZipFile(sys.argv[1])",
    "assert z.testzip() is None",
    "print(json.dumps([{'name': i.filename, 'date': list(i.date_time), 'mode': " +
      "i.external_attr >> 16, 'sha256': hashlib.sha256(z.read(i)).hexdigest()} for i in z.infolist()]))",
  ].join("\n");
  return JSON.parse(execFileSync("python3", ["-c", script, zipPath], { encoding: "utf8" })) as { name: string; date: number[]; mode: number; sha256: string }[];
}

const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

describe("tools/lambda zip writer", () => {
  it("writes a valid zip with a fixed date and mode, byte-identical for identical input", () => {
    const entries = [
      { name: "index.mjs", data: Buffer.from("export const handler = async () => 1;\n".repeat(50)) },
      { name: "lib/ü.txt", data: Buffer.alloc(0) },
    ];
    const zip = createZip(entries);
    expect(sha256(createZip(entries))).toBe(sha256(zip));
    const path = join(scratch, "sample.zip");
    execFileSync("sh", ["-c", 'cat > "$1"', "sh", path], { input: zip });
    expect(readWithPython(path)).toEqual(
      entries.map((entry) => ({ name: entry.name, date: [1980, 1, 1, 0, 0, 0], mode: 0o100644, sha256: sha256(entry.data) })),
    );
  });
});

describe("the handler bundle", () => {
  it("dist/lambda/handler.zip holds exactly dist/lambda/index.mjs", () => {
    const bundle = readFileSync(join(packageDir, "dist/lambda/index.mjs"));
    expect(readWithPython(join(packageDir, "dist/lambda/handler.zip"))).toEqual([
      { name: "index.mjs", date: [1980, 1, 1, 0, 0, 0], mode: 0o100644, sha256: sha256(bundle) },
    ]);
  });

  it("rebuilds byte-identical, so Terraform sees no change without a code change", () => {
    const hashes = ["a", "b"].map((run) => {
      execFileSync(process.execPath, [bundler, "src/handler/main.ts", join(scratch, run)], { cwd: packageDir, stdio: "pipe" });
      return sha256(readFileSync(join(scratch, run, "handler.zip")));
    });
    expect(hashes[1]).toBe(hashes[0]);
    expect(hashes[0]).toBe(sha256(readFileSync(join(packageDir, "dist/lambda/handler.zip"))));
  }, 60_000);

  it("stays within 300 KB minified with the SDK inside", () => {
    expect(readFileSync(join(packageDir, "dist/lambda/index.mjs")).length).toBeLessThanOrEqual(300_000);
  });
});
