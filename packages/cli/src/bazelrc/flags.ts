// The Bazel flags for a deployment, as `.bazelrc` lines. Pure: the command gathers the inputs.
import { issuedPaths } from "../certs/layout.js";
import { UsageError } from "../errors.js";

/** Who the flags are for: a developer reads the action cache, CI also writes it (through the writers' listener). */
export const ROLES = ["developer", "ci"] as const;
export type Role = (typeof ROLES)[number];

export interface Endpoints {
  /** The readers' listener (443): the action cache read-only. */
  readonly casEndpoint: string;
  /**
   * The writers' listener (8443 by default): the action cache writable, for CI certificates only.
   * @default undefined (unknown: a stack without the output cas_writers_endpoint; only CI's flags need it)
   */
  readonly casWritersEndpoint?: string;
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
  /**
   * Whose flags.
   * @default "developer"
   */
  readonly role?: Role;
  readonly clientAuth?: ClientAuth;
  /** Remote cache only, no remote execution. */
  readonly cacheOnly?: boolean;
}

/** The cluster's default names, which `--domain` assumes unless told otherwise. */
export const DEFAULT_NAMES = { casPrefix: "cas", schedulerPrefix: "scheduler", instanceName: "main", writersPort: 8443 } as const;

export interface DomainNames {
  /** @default "cas" */
  readonly casPrefix?: string;
  /** @default "scheduler" */
  readonly schedulerPrefix?: string;
  /** @default "main" */
  readonly instanceName?: string;
  /** The cluster's `writersListenerPort`. @default 8443 */
  readonly writersPort?: number;
}

/** The endpoints of a deployment under `domain`, with the cluster's default names unless `names` says otherwise. */
export function endpointsFromDomain(domain: string, names: DomainNames = {}): Endpoints {
  const cas = `grpcs://${names.casPrefix ?? DEFAULT_NAMES.casPrefix}.${domain}`;
  return {
    casEndpoint: cas,
    casWritersEndpoint: `${cas}:${names.writersPort ?? DEFAULT_NAMES.writersPort}`,
    schedulerEndpoint: `grpcs://${names.schedulerPrefix ?? DEFAULT_NAMES.schedulerPrefix}.${domain}`,
    instanceName: names.instanceName ?? DEFAULT_NAMES.instanceName,
  };
}

/**
 * Client certificate flags: `--client-dir`, or both of `--client-cert` and `--client-key`, or none; required when the
 * deployment says so. Paths are as given (relative to the working directory).
 * @throws UsageError naming the flags to add or remove.
 */
export function decideClientAuth(input: { required: boolean; certificate?: string; key?: string; dir?: string }): ClientAuth | undefined {
  const { required, certificate, key, dir } = input;
  if (dir !== undefined) {
    if (certificate !== undefined || key !== undefined) {
      throw new UsageError("--client-dir names both files already: leave out --client-cert and --client-key, or give those two without --client-dir");
    }
    const { certificate: issuedCertificate, key: issuedKey } = issuedPaths(dir);
    return { certificate: issuedCertificate, key: issuedKey };
  }
  if (certificate && key) return { certificate, key };
  if (certificate) throw new UsageError("--client-cert needs --client-key FILE (the certificate's private key)");
  if (key) throw new UsageError("--client-key needs --client-cert FILE (the client certificate)");
  if (required) {
    throw new UsageError(
      "the deployment requires client certificates (output client_certificate_required = true): add --client-dir DIR " +
        "(what `nativelink-aws certs issue --out DIR` wrote), or --client-cert FILE --client-key FILE",
    );
  }
  return undefined;
}

/**
 * Whether a certificate issued for `kind` (its subject's OU, as `certs issue` writes it) can serve `role`: the writers'
 * listener trusts only the CI CA, so CI flags with a developer's certificate would fail every connection.
 * @throws UsageError naming the mismatch and the fix.
 */
export function checkCertificateKind(role: Role, kind: string | undefined, certificate: string): void {
  if (kind === undefined || !(ROLES as readonly string[]).includes(kind) || kind === role) return;
  const fix =
    role === "ci"
      ? "the writers' listener trusts only the CI CA: use a certificate issued with --kind ci, or --role developer"
      : "a CI certificate can read too, but developers get their own: use one issued with --kind developer, or --role ci";
  throw new UsageError(`--role ${role}, but ${certificate} is a ${kind} certificate (OU=${kind}); ${fix}`);
}

/** A client certificate as `bazelrc` read it: what it says of itself, and whether the key given with it is its own. */
export interface ClientCertificate {
  readonly path: string;
  readonly keyPath: string;
  /** `CN`, `OU` and `O` as `certs issue` writes them (`parseClientSubject`). */
  readonly holder: { readonly name?: string; readonly kind?: string; readonly deployment?: string };
  readonly notAfter: Date;
  /** @default undefined (a key this check could not parse: Bazel says what is wrong with it) */
  readonly keyMatches?: boolean;
}

/**
 * Refuses a client certificate Bazel's TLS handshake would fail with: of the other kind, expired, or not the key's.
 * @throws UsageError (exit 2) with the command that issues a new one.
 */
export function checkClientCertificate(role: Role, certificate: ClientCertificate, now: Date): void {
  checkCertificateKind(role, certificate.holder.kind, certificate.path);
  const { name = "<name>", deployment = "<deployment>" } = certificate.holder;
  const fix = `issue a new one: nativelink-aws certs issue --deployment ${deployment} --name ${name} --kind ${role} --out <dir>, then run bazelrc with it`;
  if (certificate.notAfter.getTime() <= now.getTime()) {
    throw new UsageError(
      `${certificate.path} expired on ${certificate.notAfter.toISOString()}: the load balancer refuses it in the TLS handshake. Fix: ${fix}`,
    );
  }
  if (certificate.keyMatches === false) {
    throw new UsageError(
      `${certificate.keyPath} is not the private key of ${certificate.path}: the TLS handshake would fail. ` +
        `Fix: pass the client.key that \`certs issue\` wrote beside that client.pem (--client-dir DIR takes both), or ${fix}`,
    );
  }
}

/** Flags without the `build ` prefix, in the order they are printed. */
export function bazelFlags(input: BazelrcInput): string[] {
  const role = input.role ?? "developer";
  if (role === "ci" && input.casWritersEndpoint === undefined) {
    throw new UsageError(
      "CI's flags need the cache writers' endpoint (the output cas_writers_endpoint): apply a stack that has the writers' listener, or pass --domain",
    );
  }
  return [
    `--remote_cache=${role === "ci" ? input.casWritersEndpoint : input.casEndpoint}`,
    ...(input.cacheOnly ? [] : [`--remote_executor=${input.schedulerEndpoint}`]),
    `--remote_instance_name=${input.instanceName}`,
    "--remote_timeout=600",
    "--incompatible_strict_action_env",
    ...(role === "developer" ? ["--remote_upload_local_results=false"] : []),
    ...(input.clientAuth ? [`--tls_client_certificate=${input.clientAuth.certificate}`, `--tls_client_key=${input.clientAuth.key}`] : []),
  ];
}

const why: Record<string, string> = {
  "--remote_timeout": "An action's Execute stream can stay silent for minutes; the load balancer allows 600 s.",
  "--incompatible_strict_action_env": "Keeps each machine's PATH out of action keys, so machines share cache hits.",
  "--remote_upload_local_results": "A developer's endpoint serves the action cache read-only: results built here stay here (CI writes them).",
  "--tls_client_certificate": "The deployment authenticates clients with certificates.",
};

/** `.bazelrc` text: a header naming the source and the role, then `build --flag` lines with the reason for the extras. */
export function bazelrcLines(input: BazelrcInput): string[] {
  const lines = [`# NativeLink on AWS (${input.source}; for ${input.role === "ci" ? "CI" : "a developer"}), written by \`nativelink-aws bazelrc\`.`];
  for (const flag of bazelFlags(input)) {
    const reason = why[flag.split("=")[0] ?? ""];
    if (reason) lines.push(`# ${reason}`);
    lines.push(`build ${flag}`);
  }
  return lines;
}
