// The region the AWS SDK would use, without calling AWS.
import { STSClient } from "@aws-sdk/client-sts";
import { awsClientConfig, type AwsTarget } from "./aws-clients.js";

/** The flag, else AWS_REGION, else the profile's region; undefined when none is set. */
export async function resolveRegion(target: AwsTarget): Promise<string | undefined> {
  const client = new STSClient(awsClientConfig(target));
  try {
    return await client.config.region();
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}
