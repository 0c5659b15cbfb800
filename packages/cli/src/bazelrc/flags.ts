// The Bazel flags for a deployment, as `.bazelrc` lines. Pure: the command gathers the inputs.
import { UsageError } from "../errors.js";

export interface Endpoints {
  readonly casEndpoint: string;
  readonly schedulerEndpoint: string;
  readonly instanceName: string;
}

export interface ClientAuth {
  readonly certificate: string;
  readonly key: string;
}

export interface BazelrcInput extends Endpoints {
  /** Where the endpoints came from, for the header comment. */
  readonly source: string;
  readonly clientAuth?: ClientAuth;
  /** Remote cache only, no remote execution. */
  readonly cacheOnly?: boolean;
}

/** The cluster's default names, which `--domain` assumes unless told otherwise. */
export const DEFAULT_NAMES = { casPrefix: "cas", schedulerPrefix: "scheduler", instanceName: "main" } as const;

export interface DomainNames {
  /** @default "cas" */
  readonly casPrefix?: string;
  /** @default "scheduler" */
  readonly schedulerPrefix?: string;
  /** @default "main" */
  readonly instanceName?: string;
}

/** The endpoints of a deployment under `domain`, with the cluster's default names unless `names` says otherwise. */
export function endpointsFromDomain(domain: string, names: DomainNames = {}): Endpoints {
  return {
    casEndpoint: `grpcs://${names.casPrefix ?? DEFAULT_NAMES.casPrefix}.${domain}`,
    schedulerEndpoint: `grpcs://${names.schedulerPrefix ?? DEFAULT_NAMES.schedulerPrefix}.${domain}`,
    instanceName: names.instanceName ?? DEFAULT_NAMES.instanceName,
  };
}

/**
 * Client certificate flags: both or neither; required when the deployment says so.
 * @throws UsageError naming the flags to add.
 */
export function decideClientAuth(input: { required: boolean; certificate?: string; key?: string }): ClientAuth | undefined {
  const { required, certificate, key } = input;
  if (certificate && key) return { certificate, key };
  if (certificate) throw new UsageError("--client-cert needs --client-key FILE (the certificate's private key)");
  if (key) throw new UsageError("--client-key needs --client-cert FILE (the client certificate)");
  if (required) {
    throw new UsageError("the deployment requires client certificates (output client_certificate_required = true): add --client-cert FILE --client-key FILE");
  }
  return undefined;
}

/** Flags without the `build ` prefix, in the order they are printed. */
export function bazelFlags(input: BazelrcInput): string[] {
  return [
    `--remote_cache=${input.casEndpoint}`,
    ...(input.cacheOnly ? [] : [`--remote_executor=${input.schedulerEndpoint}`]),
    `--remote_instance_name=${input.instanceName}`,
    "--remote_timeout=600",
    "--incompatible_strict_action_env",
    ...(input.clientAuth ? [`--tls_client_certificate=${input.clientAuth.certificate}`, `--tls_client_key=${input.clientAuth.key}`] : []),
  ];
}

const why: Record<string, string> = {
  "--remote_timeout": "An action's Execute stream can stay silent for minutes; the load balancer allows 600 s.",
  "--incompatible_strict_action_env": "Keeps each machine's PATH out of action keys, so machines share cache hits.",
  "--tls_client_certificate": "The deployment authenticates clients with certificates.",
};

/** `.bazelrc` text: a header naming the source, then `build --flag` lines with the reason for the extras. */
export function bazelrcLines(input: BazelrcInput): string[] {
  const lines = [`# NativeLink on AWS (${input.source}), written by \`nativelink-aws bazelrc\`.`];
  for (const flag of bazelFlags(input)) {
    const reason = why[flag.split("=")[0] ?? ""];
    if (reason) lines.push(`# ${reason}`);
    lines.push(`build ${flag}`);
  }
  return lines;
}
