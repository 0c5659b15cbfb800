import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { handlerFunctionCode, readHandlerBundle } from "../src/lambda-construct/index.js";

describe("readHandlerBundle", () => {
  const owner = { construct: "WorkerAutoscaler", packageName: "@nativelink-aws/autoscaler" };

  it("hashes the zip as Terraform's filebase64sha256 does, and hands the function its code", () => {
    const path = join(mkdtempSync(join(tmpdir(), "bundle-")), "handler.zip");
    writeFileSync(path, "zip bytes");
    const bundle = readHandlerBundle(path, owner);
    expect(bundle.sha256Base64).toBe(createHash("sha256").update("zip bytes").digest("base64"));
    expect(handlerFunctionCode(bundle, "assets/handler.zip")).toEqual({
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      filename: "assets/handler.zip",
      sourceCodeHash: bundle.sha256Base64,
    });
  });

  it("says how to build a missing bundle, for the package that owns it", () => {
    expect(() => readHandlerBundle("/nonexistent/handler.zip", owner)).toThrow(
      'WorkerAutoscaler: the handler bundle /nonexistent/handler.zip does not exist. Build it with "npm run build -w @nativelink-aws/autoscaler"',
    );
  });
});
