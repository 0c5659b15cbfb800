import { readHandlerBundle, type HandlerBundle } from "@nativelink-aws/conventions/lambda-construct";
import { fileURLToPath } from "node:url";

/**
 * The handler zip this package builds (`npm run build`). Both `src/construct/` and `dist/construct/` sit two levels
 * below the package root, so the same relative path works from the sources (tests) and from the published package.
 */
export const defaultBundlePath = fileURLToPath(new URL("../../dist/lambda/handler.zip", import.meta.url));

export function readSchedulerDnsBundle(path: string = defaultBundlePath): HandlerBundle {
  return readHandlerBundle(path, { construct: "SchedulerDnsRecord", packageName: "@nativelink-aws/dns-lambda" });
}
