/** nativelink-aws: preflight, bazelrc, local CAS proxy, purge, status, cost, init. */
export const packageName = "@nativelink-aws/cli";
