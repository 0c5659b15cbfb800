// The boundaries: Terraform outputs JSON, AWS SDK errors, flag names.
import { describe, expect, it } from "vitest";
import { classifyAwsError } from "../src/aws-errors.js";
import { ExitCode } from "../src/errors.js";
import { flagName } from "../src/flags.js";
import { parseTerraformOutputs } from "../src/terraform-outputs.js";

describe("parseTerraformOutputs", () => {
  it("takes each output's value and ignores outputs it does not know", () => {
    const text = JSON.stringify({
      cas_endpoint: { value: "grpcs://cas.x.com", type: "string", sensitive: false },
      client_certificate_required: { value: true, type: "bool", sensitive: false },
      vpc_id: { value: "vpc-1", type: "string", sensitive: false },
      things: { value: ["a"], type: ["list", "string"], sensitive: false },
    });
    expect(parseTerraformOutputs(text, "o.json")).toEqual({ cas_endpoint: "grpcs://cas.x.com", client_certificate_required: true });
  });

  it.each([
    ["[]", /is not `terraform output -json` output/],
    ['{"a": 1}', /is not `terraform output -json` output/],
    ['{"cas_bucket_name": {"value": 5}}', /output cas_bucket_name/],
    ["{", /is not JSON/],
  ])("%s is refused", (text, message) => {
    expect(() => parseTerraformOutputs(text, "o.json")).toThrow(message);
  });
});

describe("classifyAwsError", () => {
  const sdkError = (name: string, message = "m") => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

  it.each([
    [sdkError("InvalidClientTokenId"), /AWS credentials did not work .*--profile NAME/s],
    [Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }), /AWS credentials did not work/],
    [new Error("Region is missing"), /no AWS region: pass --region REGION/],
    [sdkError("AccessDenied"), /AWS denied the request \(op\)/],
    [Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }), /could not reach AWS/],
    [sdkError("Throttling"), /AWS request failed \(op\): Throttling: m/],
  ])("%s → exit 3", (error, message) => {
    const classified = classifyAwsError(error, "op");
    expect(classified?.exitCode).toBe(ExitCode.aws);
    expect(classified?.message).toMatch(message);
  });

  it("leaves other errors alone", () => {
    expect(classifyAwsError(Object.assign(new Error("no such file"), { code: "ENOENT" }))).toBeUndefined();
    expect(classifyAwsError("text")).toBeUndefined();
  });

  it("flag names are kebab-case", () => {
    expect(flagName("clientCert")).toBe("--client-cert");
    expect(flagName("maxBatches")).toBe("--max-batches");
  });
});
