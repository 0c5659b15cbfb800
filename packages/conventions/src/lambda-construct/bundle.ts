import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";

/** A handler zip built by `tools/lambda/bundle-lambda.mjs`, ready to be a function's code. */
export interface HandlerBundle {
  readonly path: string;
  /** base64 SHA-256 of the zip, as Terraform's `filebase64sha256` computes it: the function's `source_code_hash`. */
  readonly sha256Base64: string;
}

/** Who the bundle is for, for the message when it is missing. */
export interface BundleOwner {
  /** The construct that deploys it, e.g. `WorkerAutoscaler`. */
  readonly construct: string;
  /** The package that builds it, e.g. `@nativelink-aws/autoscaler`. */
  readonly packageName: string;
}

export function readHandlerBundle(path: string, owner: BundleOwner): HandlerBundle {
  if (!existsSync(path)) {
    throw new Error(
      `${owner.construct}: the handler bundle ${path} does not exist. Build it with "npm run build -w ${owner.packageName}", or set the bundlePath prop.`,
    );
  }
  return { path, sha256Base64: createHash("sha256").update(readFileSync(path)).digest("base64") };
}

/**
 * The settings every nativelink-aws function shares: Node.js 22 on arm64 (cheaper per GB-second, and the bundles are
 * plain JavaScript), the bundle's `index.handler`, its code and hash.
 */
export function handlerFunctionCode(bundle: HandlerBundle, assetPath: string) {
  return {
    runtime: "nodejs22.x",
    architectures: ["arm64"],
    handler: "index.handler",
    filename: assetPath,
    sourceCodeHash: bundle.sha256Base64,
  };
}
