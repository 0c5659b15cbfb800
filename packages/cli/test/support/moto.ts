// Points the AWS SDK at the shared moto server (started by tools/moto/vitest-global-setup.ts).
import { inject } from "vitest";
import { motoEnvironment } from "../../../../tools/moto/moto-server.js";

export function useMoto(): {
  endpoint: string;
  clientConfig: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
} {
  const endpoint = inject("motoEndpoint");
  // Only the environment points the CLI at moto, which also proves it honours AWS_ENDPOINT_URL.
  Object.assign(process.env, motoEnvironment(endpoint));
  return { endpoint, clientConfig: { endpoint, region: "us-east-1", credentials: { accessKeyId: "testing", secretAccessKey: "testing" } } };
}

/** A short unique suffix, so test files can share one moto server. */
export function unique(): string {
  return Math.random().toString(36).slice(2, 10);
}
