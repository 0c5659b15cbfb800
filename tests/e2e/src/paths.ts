import { fileURLToPath } from "node:url";

/** The repository's root directory. */
export const REPOSITORY_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** The suite's own directory (`tests/e2e`). */
export const SUITE_DIRECTORY = fileURLToPath(new URL("../", import.meta.url));
