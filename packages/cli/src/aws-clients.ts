// Client configuration from --region/--profile; anything unset falls to the SDK's default chain, including
// AWS_ENDPOINT_URL (which the tests use to reach moto). Retries are the SDK's standard mode.
// Each AWS module builds its own client, and commands import those modules only when they run:
// loading every SDK client would slow down `--help` by most of a second.

export interface AwsTarget {
  readonly region?: string;
  readonly profile?: string;
}

export function awsClientConfig(target: AwsTarget) {
  return {
    ...(target.region ? { region: target.region } : {}),
    ...(target.profile ? { profile: target.profile } : {}),
    // Purge sends thousands of requests; a few more attempts ride out S3's "SlowDown" answers.
    maxAttempts: 5,
  };
}
