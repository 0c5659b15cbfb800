import { existsSync } from "node:fs";
import { isAbsolute } from "node:path";
import { type ClientAuthentication, readClientCaDirectory } from "@nativelink-aws/constructs";
import { NativeLinkPropError } from "@nativelink-aws/conventions";
import { certsInitCommand, certsIssueCommand, certsPublishCommand, DEFAULT_CLIENT_CA_DIR } from "@nativelink-aws/nativelink-config";
import type { Construct } from "constructs";

/** Where client authentication comes from, decided once at synthesis. */
export type ClientAuthenticationSource =
  | { readonly kind: "ready"; readonly clientAuthentication: ClientAuthentication }
  | { readonly kind: "pending"; readonly message: string };

/**
 * What to run when the client CA directory is missing; also the error Terraform's plan stops with. A relative path is
 * relative to the folder synthesis runs in, which is not always where the reader is (`npm run synth` from a monorepo root).
 */
export function missingClientCaMessage(dir: string, deployment: string): string {
  const where = isAbsolute(dir) ? ":" : " in the folder synthesis runs in (the app's): there,";
  return (
    `No client CA directory at ${dir}${where} run \`${certsInitCommand(deployment)}\` if this deployment has no client CAs yet ` +
    `(their private keys stay in ~/.nativelink-aws/${deployment}/pki, never in the app), then \`${certsPublishCommand(deployment, dir)}\` ` +
    "(the public CA certificates and revocation lists the load balancer verifies client certificates against; commit them), then synthesize again. " +
    `Give each person and CI system a certificate with \`${certsIssueCommand(deployment)}\`. Until then terraform plan stops here.`
  );
}

/** `clientCa` or `clientAuthentication`, never both; a missing directory is pending, an invalid one throws ClientCaError. */
export function resolveClientAuthenticationSource(
  scope: Construct,
  props: { readonly clientCa?: string; readonly clientAuthentication?: ClientAuthentication },
  deployment: string,
): ClientAuthenticationSource {
  if (props.clientAuthentication !== undefined) {
    if (props.clientCa !== undefined) {
      throw new NativeLinkPropError(
        scope.node.path,
        "clientCa",
        "both clientCa and clientAuthentication are set",
        'pass clientCa (the directory certs publish writes) or clientAuthentication (sources you manage, or mode "off" with a reason), not both',
      );
    }
    return { kind: "ready", clientAuthentication: props.clientAuthentication };
  }
  const dir = props.clientCa ?? DEFAULT_CLIENT_CA_DIR;
  if (typeof dir !== "string" || dir.trim() === "") {
    throw new NativeLinkPropError(
      scope.node.path,
      "clientCa",
      "it is not a path",
      `pass the directory certs publish writes, relative to the app, e.g. "${DEFAULT_CLIENT_CA_DIR}"`,
    );
  }
  if (!existsSync(dir)) return { kind: "pending", message: missingClientCaMessage(dir, deployment) };
  const { readers, writers } = readClientCaDirectory(dir, { deployment });
  return { kind: "ready", clientAuthentication: { mode: "verify", readers, writers } };
}
