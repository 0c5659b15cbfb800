// Turns what the AWS SDK throws into an AwsError whose message says what to do about it.
import { AwsError } from "./errors.js";

const credentialErrorNames = new Set([
  "CredentialsProviderError", "ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId", "SignatureDoesNotMatch",
  "UnrecognizedClientException", "InvalidAccessKeyId", "TokenProviderError", "InvalidToken",
]);
const accessDeniedNames = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError"]);
const networkCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

const credentialsFix =
  "configure credentials as in https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html, " +
  "or pass --profile NAME (or set AWS_PROFILE); for an SSO profile run `aws sso login --profile NAME` first";

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $metadata?: unknown;
}

/** The AwsError for an error thrown by an SDK call, or undefined when it did not come from AWS or the SDK. */
export function classifyAwsError(error: unknown, operation?: string): AwsError | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { name, message, code, $metadata } = error as ErrorLike;
  const text = typeof message === "string" ? message : String(name);
  const during = operation ? ` (${operation})` : "";
  if (typeof name === "string" && credentialErrorNames.has(name)) {
    return new AwsError(`AWS credentials did not work${during}: ${text}\n  fix: ${credentialsFix}`);
  }
  if (/region is missing/i.test(text)) {
    return new AwsError("no AWS region: pass --region REGION, or set AWS_REGION, or set `region` in your AWS profile");
  }
  if (typeof name === "string" && accessDeniedNames.has(name)) {
    return new AwsError(`AWS denied the request${during}: ${text}\n  fix: use an identity allowed to do this (--profile NAME)`);
  }
  if (typeof code === "string" && networkCodes.has(code)) {
    return new AwsError(`could not reach AWS${during}: ${text}\n  fix: check the network, and AWS_ENDPOINT_URL if it is set`);
  }
  if ($metadata !== undefined || name === "TimeoutError") {
    return new AwsError(`AWS request failed${during}: ${typeof name === "string" ? `${name}: ` : ""}${text}`);
  }
  return undefined;
}

/** Runs one AWS call, rethrowing SDK failures as an AwsError that names the operation. */
export async function awsCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw classifyAwsError(error, operation) ?? error;
  }
}
