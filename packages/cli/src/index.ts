/** nativelink-aws: preflight, bazelrc, local CAS proxy, purge, status, cost, init. Run it as `nativelink-aws`. */
export const packageName = "@nativelink-aws/cli";
export { run, createProgram } from "./program.js";
export { ExitCode } from "./errors.js";
export type { CliIo } from "./io.js";
