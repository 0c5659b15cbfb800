// Turns what the AWS SDK throws into an AwsError whose message says what to do about it. The classification is
// pure (describeAwsFailure), so preflight words its checks from the same kinds and every kind is table-tested.
import { AwsError } from "./errors.js";

const credentialErrorNames = new Set([
  "CredentialsProviderError",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "UnrecognizedClientException",
  "InvalidAccessKeyId",
  "TokenProviderError",
  "InvalidToken",
]);
const accessDeniedNames = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError"]);
/** Node's codes for a connection that could not be made or was lost: no network, no DNS, nothing listening. */
const unreachableCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]);

const credentialsFix =
  "configure credentials as in https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html, " +
  "or pass --profile NAME (or set AWS_PROFILE); for an SSO profile run `aws sso login --profile NAME` first";
export const regionFix = "pass --region REGION (e.g. us-east-1), or set AWS_REGION, or set `region` in your AWS profile";
export const unreachableFix = "check this machine's network connection and DNS; if AWS_ENDPOINT_URL is set, check that something answers there";

/**
 * Why an AWS call failed:
 * - `credentials`: none found, or AWS rejected them;
 * - `region`: no region configured, or not a valid one;
 * - `denied`: the identity may not do this;
 * - `unreachable`: the endpoint could not be reached (no network, DNS failure, refused, timed out);
 * - `other`: AWS answered with another error.
 */
export type AwsFailureKind = "credentials" | "region" | "denied" | "unreachable" | "other";

export interface AwsFailure {
  readonly kind: AwsFailureKind;
  /** The SDK's error name or Node's error code, e.g. `InvalidClientTokenId`, `ECONNREFUSED`. */
  readonly code: string;
  readonly message: string;
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $metadata?: unknown;
  cause?: unknown;
}

/** Node's error code, on the error or on its cause (fetch-style errors wrap the socket's). */
function nodeCode(error: ErrorLike): string | undefined {
  if (typeof error.code === "string") return error.code;
  const cause = error.cause as ErrorLike | undefined;
  return typeof cause?.code === "string" ? cause.code : undefined;
}

/** The kind of an error thrown by an SDK call, or undefined when it did not come from AWS or the SDK. */
export function describeAwsFailure(error: unknown): AwsFailure | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { name, message, $metadata } = error as ErrorLike;
  const code = nodeCode(error as ErrorLike);
  const text = typeof message === "string" && message !== "" ? message : String(name);
  const label = code ?? (typeof name === "string" ? name : "Error");
  if (typeof name === "string" && credentialErrorNames.has(name)) return { kind: "credentials", code: name, message: text };
  if (/region is missing|invalid region/i.test(text)) return { kind: "region", code: label, message: text };
  if (typeof name === "string" && accessDeniedNames.has(name)) return { kind: "denied", code: name, message: text };
  if ((code !== undefined && unreachableCodes.has(code)) || name === "TimeoutError") return { kind: "unreachable", code: label, message: text };
  if ($metadata !== undefined) return { kind: "other", code: label, message: text };
  return undefined;
}

/** The AwsError for an error thrown by an SDK call, or undefined when it did not come from AWS or the SDK. */
export function classifyAwsError(error: unknown, operation?: string): AwsError | undefined {
  const failure = describeAwsFailure(error);
  if (!failure) return undefined;
  const during = operation ? ` (${operation})` : "";
  switch (failure.kind) {
    case "credentials":
      return new AwsError(`AWS credentials did not work${during}: ${failure.message}\n  fix: ${credentialsFix}`);
    case "region":
      return new AwsError(`no usable AWS region${during}: ${failure.message}\n  fix: ${regionFix}`);
    case "denied":
      return new AwsError(`AWS denied the request${during}: ${failure.message}\n  fix: use an identity allowed to do this (--profile NAME)`);
    case "unreachable":
      return new AwsError(`could not reach AWS${during}: ${failure.code}: ${failure.message}\n  fix: ${unreachableFix}`);
    case "other":
      return new AwsError(`AWS request failed${during}: ${failure.code}: ${failure.message}`);
  }
}

/** Runs one AWS call, rethrowing SDK failures as an AwsError that names the operation. */
export async function awsCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw classifyAwsError(error, operation) ?? error;
  }
}
