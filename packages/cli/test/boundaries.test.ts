// The boundaries: Terraform outputs JSON, AWS SDK errors, flag names.
import { describe, expect, it } from "vitest";
import { classifyAwsError, describeAwsFailure } from "../src/aws-errors.js";
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

describe("describeAwsFailure", () => {
  const sdkError = (name: string, message = "m") => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });
  const nodeError = (code: string, message: string) => Object.assign(new Error(message), { code });

  it.each([
    [sdkError("InvalidClientTokenId"), "credentials", "InvalidClientTokenId"],
    [
      Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }),
      "credentials",
      "CredentialsProviderError",
    ],
    [new Error("Region is missing"), "region", "Error"],
    [new Error("Invalid region in client config"), "region", "Error"],
    [sdkError("AccessDenied"), "denied", "AccessDenied"],
    [nodeError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:1"), "unreachable", "ECONNREFUSED"],
    [nodeError("ENOTFOUND", "getaddrinfo ENOTFOUND sts.us-east-1.amazonaws.com"), "unreachable", "ENOTFOUND"],
    [nodeError("EAI_AGAIN", "getaddrinfo EAI_AGAIN sts.us-east-1.amazonaws.com"), "unreachable", "EAI_AGAIN"],
    [Object.assign(new Error("fetch failed"), { cause: { code: "ENETUNREACH" } }), "unreachable", "ENETUNREACH"],
    [Object.assign(new Error("Connection timed out after 10000 ms"), { name: "TimeoutError", $metadata: {} }), "unreachable", "TimeoutError"],
    [sdkError("Throttling"), "other", "Throttling"],
  ])("%s → %s (%s)", (error, kind, code) => {
    expect(describeAwsFailure(error)).toMatchObject({ kind, code });
  });

  it("is undefined for what did not come from AWS or the SDK", () => {
    expect(describeAwsFailure(Object.assign(new Error("no such file"), { code: "ENOENT" }))).toBeUndefined();
    expect(describeAwsFailure("text")).toBeUndefined();
    expect(describeAwsFailure(null)).toBeUndefined();
  });
});

describe("classifyAwsError", () => {
  const sdkError = (name: string, message = "m") => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

  it.each([
    [sdkError("InvalidClientTokenId"), /AWS credentials did not work .*--profile NAME/s],
    [Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }), /AWS credentials did not work/],
    [new Error("Region is missing"), /^no usable AWS region \(op\): Region is missing\n {2}fix: pass --region REGION \(e.g. us-east-1\), or set AWS_REGION/],
    [sdkError("AccessDenied"), /AWS denied the request \(op\)/],
    [
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }),
      /^could not reach AWS \(op\): ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1\n {2}fix: check this machine's network/,
    ],
    [
      Object.assign(new Error("Connection timed out after 5000 ms"), { name: "TimeoutError" }),
      /^could not reach AWS \(op\): TimeoutError: Connection timed out/,
    ],
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
