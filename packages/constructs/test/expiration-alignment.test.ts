import { casConfig, workerConfig } from "@nativelink-aws/nativelink-config";
import { Testing, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { checkExpirationAlignment } from "../src/cache-expiration.js";

describe("checkExpirationAlignment", () => {
  const scope = new TerraformStack(Testing.app(), "aligned");
  const ages = { "ac/": 14, "cas/": 30 };

  it("accepts stores that report objects missing before the lifecycle deletes them", () => {
    expect(() =>
      checkExpirationAlignment(scope, { cas: casConfig({ considerExpiredAfterSeconds: { cas: 29 * 86_400, ac: 13 * 86_400 } }) }, ages),
    ).not.toThrow();
  });

  it("refuses a store that never reports objects missing while the bucket deletes them", () => {
    expect(() => checkExpirationAlignment(scope, { worker: workerConfig() }, ages)).toThrow(
      `aligned: invalid prop 'cacheExpiration': the worker configuration's S3 store for "ac/" ` +
        `reports objects missing after 0 s, not before the bucket deletes them (14 days = 1209600 s)`,
    );
  });

  it("refuses a store whose threshold is past the deletion", () => {
    expect(() => checkExpirationAlignment(scope, { cas: casConfig({ considerExpiredAfterSeconds: { cas: 31 * 86_400, ac: 13 * 86_400 } }) }, ages)).toThrow(
      /store for "cas\/" reports objects missing after 2678400 s, not before the bucket deletes them \(30 days = 2592000 s\)/,
    );
  });
});
