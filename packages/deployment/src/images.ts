import { existsSync } from "node:fs";
import { isAbsolute } from "node:path";
import { readImagesLockFile, type ImagesLock, type PerArchitecture } from "@nativelink-aws/ami-builder";
import { NativeLinkPropError } from "@nativelink-aws/conventions";
import { imagesLockCommand } from "@nativelink-aws/nativelink-config";
import type { Construct } from "constructs";
import type { ImageBakeOptions, NativeLinkDeploymentImages } from "./props.js";

/** The image source, decided once at synthesis. */
export type ImageSource =
  | { readonly kind: "lock"; readonly lock: ImagesLock; readonly bake: ImageBakeOptions }
  | { readonly kind: "pending"; readonly message: string; readonly bake: ImageBakeOptions }
  | { readonly kind: "existing"; readonly amiIds: PerArchitecture<string>; readonly metricsPort: number | undefined };

const SOURCES = ["lockFile", "lock", "amiIds"] as const;
const FIX = 'pass exactly one of { lockFile: "images.lock.json" } (written by `npx nativelink-aws images lock`), { lock } or { amiIds: { x86_64, arm64 } }';

/**
 * What to run when the lock file is missing; also the error Terraform's plan stops with. A relative path is relative
 * to the folder synthesis runs in, which is not always where the reader is (`npm run synth` from a monorepo root).
 */
export function missingLockMessage(lockFile: string): string {
  const where = isAbsolute(lockFile) ? ":" : " in the folder synthesis runs in (the app's): there,";
  return (
    `No images lock file at ${lockFile}${where} run \`${imagesLockCommand(lockFile)}\` (it downloads the NativeLink and collector ` +
    "releases and verifies them against what their publishers publish), commit the file, then synthesize again. Until then terraform plan stops here."
  );
}

/** Checks `images` and reads the lock file: missing is pending, invalid throws ImagesLockError. */
export function resolveImageSource(scope: Construct, images: NativeLinkDeploymentImages | undefined): ImageSource {
  // Read as plain data: JavaScript callers (and casts) can pass any shape.
  const source = (images ?? {}) as Partial<Record<(typeof SOURCES)[number] | "bake" | "metricsPort", unknown>>;
  const given = SOURCES.filter((key) => source[key] !== undefined);
  if (given.length !== 1) {
    const problem = given.length === 0 ? "no image source is given" : `it sets ${given.join(" and ")}`;
    throw new NativeLinkPropError(scope.node.path, "images", problem, FIX);
  }
  if (source.amiIds !== undefined) {
    if (source.bake !== undefined)
      throw new NativeLinkPropError(scope.node.path, "images.bake", "amiIds bake nothing", "remove bake, or bake from a lock file instead of amiIds");
    return { kind: "existing", amiIds: source.amiIds as PerArchitecture<string>, metricsPort: source.metricsPort as number | undefined };
  }
  const bake = (source.bake ?? {}) as ImageBakeOptions;
  if (source.lock !== undefined) return { kind: "lock", lock: source.lock as ImagesLock, bake };
  const lockFile = source.lockFile;
  if (typeof lockFile !== "string" || lockFile.trim() === "") {
    throw new NativeLinkPropError(
      scope.node.path,
      "images.lockFile",
      "it is not a path",
      'pass the lock file\'s path relative to the app, e.g. "images.lock.json"',
    );
  }
  return existsSync(lockFile) ? { kind: "lock", lock: readImagesLockFile(lockFile), bake } : { kind: "pending", message: missingLockMessage(lockFile), bake };
}
