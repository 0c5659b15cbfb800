import type { CheckRule } from "./rule.js";
import { dropInvalidHeaders } from "./rules/drop-invalid-headers.js";
import { ebsEncrypted } from "./rules/ebs-encrypted.js";
import { iamNoWildcards } from "./rules/iam-no-wildcards.js";
import { imdsv2Required } from "./rules/imdsv2-required.js";
import { lambdaLogRetention } from "./rules/lambda-log-retention.js";
import { listenerTlsPolicy } from "./rules/listener-tls-policy.js";
import { noOpenIngress } from "./rules/no-open-ingress.js";
import { noPublicIp } from "./rules/no-public-ip.js";
import { s3Encrypted } from "./rules/s3-encrypted.js";
import { s3PublicAccessBlocked } from "./rules/s3-public-access-blocked.js";
import { s3TlsOnly } from "./rules/s3-tls-only.js";

/** The NativeLink rule pack: what the original deployment got wrong, as checks. */
export const NATIVELINK_RULES: readonly CheckRule[] = [
  imdsv2Required, noPublicIp, noOpenIngress, s3PublicAccessBlocked, s3Encrypted, s3TlsOnly,
  listenerTlsPolicy, dropInvalidHeaders, ebsEncrypted, lambdaLogRetention, iamNoWildcards,
];
