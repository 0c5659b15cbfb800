// Writes scaffolded files, all or nothing: an existing file is never overwritten without --force.
import { constants } from "node:fs";
import { access, chmod, mkdir, writeFile } from "node:fs/promises";
import { dirname, relative } from "node:path";
import { RefusedError } from "./errors.js";

export interface PlannedFile {
  /** Absolute path. */
  readonly path: string;
  readonly content: string;
  readonly executable?: boolean;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/** Writes every file, or none when one exists and `force` is false (RefusedError listing them). */
export async function writePlannedFiles(files: readonly PlannedFile[], options: { force: boolean; cwd: string }): Promise<void> {
  if (!options.force) {
    const existing: string[] = [];
    for (const file of files) if (await exists(file.path)) existing.push(relative(options.cwd, file.path) || file.path);
    if (existing.length > 0) {
      throw new RefusedError(`not overwriting ${existing.join(", ")}: pass --force to replace ${existing.length === 1 ? "it" : "them"}`);
    }
  }
  for (const file of files) {
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(file.path, file.content, { mode: file.executable ? 0o755 : 0o644 });
    // writeFile's mode applies only to new files; --force over an existing one must still set it.
    await chmod(file.path, file.executable ? 0o755 : 0o644);
  }
}
