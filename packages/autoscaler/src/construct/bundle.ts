import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The handler zip this package builds (`npm run build`). Both `src/construct/` and `dist/construct/` sit two levels
 * below the package root, so the same relative path works from the sources (tests) and from the published package.
 */
export const defaultBundlePath = fileURLToPath(new URL("../../dist/lambda/handler.zip", import.meta.url));

export interface HandlerBundle {
  readonly path: string;
  /** base64 SHA-256 of the zip, as Terraform's `filebase64sha256` computes it: the function's `source_code_hash`. */
  readonly sha256Base64: string;
}

export function readHandlerBundle(path: string = defaultBundlePath): HandlerBundle {
  if (!existsSync(path)) {
    throw new Error(
      `WorkerAutoscaler: the handler bundle ${path} does not exist. Build it with "npm run build -w @nativelink-aws/autoscaler", or set the bundlePath prop.`,
    );
  }
  return { path, sha256Base64: createHash("sha256").update(readFileSync(path)).digest("base64") };
}
