import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { packageName } from "../src/index.js";

describe("@nativelink-aws/deployment", () => {
  it("exports its own package name", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { name: string };
    expect(packageName).toBe(manifest.name);
  });
});
