import { existsSync, readFileSync } from "node:fs";
import { ImagesLockError, imagesLockCommand, parseImagesLock, type ImagesLock } from "@nativelink-aws/nativelink-config";

/**
 * Reads an images lock file (`images.lock.json`, written by `nativelink-aws images lock`) for `NativeLinkImage`'s
 * `lock` prop.
 * @throws ImagesLockError when the file is missing or invalid, with the command that writes it.
 */
export function readImagesLockFile(path: string): ImagesLock {
  if (!existsSync(path)) {
    throw new ImagesLockError(
      `no images lock file at ${path}: write it with \`${imagesLockCommand(path)}\` (it downloads and verifies the releases), then commit it with the app`,
    );
  }
  return parseImagesLock(readFileSync(path, "utf8"), path);
}
