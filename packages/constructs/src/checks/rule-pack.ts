import type { CheckRule } from "./rule.js";
import { clientCaPending } from "./rules/client-ca-pending.js";
import { clientCertificatesVerified } from "./rules/client-certificates-verified.js";
import { drainHookExists } from "./rules/drain-hook.js";
import { dropInvalidHeaders } from "./rules/drop-invalid-headers.js";
import { ebsEncrypted } from "./rules/ebs-encrypted.js";
import { iamNoWildcards } from "./rules/iam-no-wildcards.js";
import { imageBuilderEgress } from "./rules/image-builder-egress.js";
import { imageBuilderSubnetKnown } from "./rules/image-builder-subnet-known.js";
import { imagePending } from "./rules/image-pending.js";
import { imageSourceExists } from "./rules/image-source.js";
import { imdsv2Required } from "./rules/imdsv2-required.js";
import { lambdaLogRetention } from "./rules/lambda-log-retention.js";
import { listenerTlsPolicy } from "./rules/listener-tls-policy.js";
import { noOpenIngress } from "./rules/no-open-ingress.js";
import { noPublicIp } from "./rules/no-public-ip.js";
import { s3Encrypted } from "./rules/s3-encrypted.js";
import { s3PublicAccessBlocked } from "./rules/s3-public-access-blocked.js";
import { s3TlsOnly } from "./rules/s3-tls-only.js";
import { schedulerHostWriter } from "./rules/scheduler-host-writer.js";
import { warmPoolLaunchHook } from "./rules/warm-pool-hook.js";

/**
 * Completeness: what a cluster needs beyond its own resources to work (a writer of the scheduler record, the drain
 * hook, an image, a bake that can download). `NativeLinkCluster` runs the error rules among them at synthesis.
 */
export const COMPLETENESS_RULES: readonly CheckRule[] = [
  schedulerHostWriter,
  drainHookExists,
  warmPoolLaunchHook,
  imageSourceExists,
  imagePending,
  imageBuilderEgress,
  imageBuilderSubnetKnown,
  clientCaPending,
];

/** The NativeLink rule pack: what the original deployment got wrong, as checks, and the completeness rules. */
export const NATIVELINK_RULES: readonly CheckRule[] = [
  imdsv2Required,
  noPublicIp,
  noOpenIngress,
  s3PublicAccessBlocked,
  s3Encrypted,
  s3TlsOnly,
  listenerTlsPolicy,
  dropInvalidHeaders,
  clientCertificatesVerified,
  ebsEncrypted,
  lambdaLogRetention,
  iamNoWildcards,
  ...COMPLETENESS_RULES,
];
