// The only changes the suite makes to what the stack delivers, each named here and justified in README.md
// ("Test-only changes"); a test checks that the README's table names every one.
import { parseConfig, renderConfig, type NativeLinkConfig } from "@nativelink-aws/nativelink-config";

/** Every test-only change, by the name the README's table uses. */
export const TEST_ONLY_CHANGES = [
  "loopback listeners on free ports",
  "the worker's own network",
  "S3 over plain HTTP",
  "the worker's /mnt",
  "the action user in a private /etc/passwd",
  "the action wrapper's copy",
  "S3 endpoint and credentials",
  "names in a private /etc/hosts",
  "OTLP endpoint and export interval",
  "collector endpoints",
  "Terraform values",
  "no load balancer",
  "fake disk tools",
  "a fake /proc/meminfo",
  "IMDS_RETRIES=0",
] as const;
export type TestOnlyChange = (typeof TEST_ONLY_CHANGES)[number];

/** Cluster port → the free loopback port the suite uses for it. */
export type PortMap = ReadonlyMap<number, number>;

export interface ConfigChanges {
  /**
   * "loopback listeners on free ports": listeners bind 127.0.0.1 on the mapped port, and a worker dials the mapped port.
   * @default the stack's addresses and ports
   */
  readonly ports?: PortMap;
  /**
   * "the action wrapper's copy": the worker's `entrypoint`.
   * @default the stack's (`/usr/local/bin/nativelink-run-action`)
   */
  readonly entrypoint?: string;
}

/** A role's configuration with the suite's changes; the model still validates it (parseConfig). */
export function adaptConfig(config: NativeLinkConfig, changes: ConfigChanges): NativeLinkConfig {
  const adapted = structuredClone(config) as unknown as Record<string, unknown>;
  visit(adapted, (key, value, parent) => {
    const { ports } = changes;
    if (ports && key === "socket_address" && typeof value === "string") parent[key] = `127.0.0.1:${mapPort(ports, Number(value.split(":").pop()))}`;
    if (ports && key === "uri" && typeof value === "string") parent[key] = value.replace(/:(\d+)$/, (_, port: string) => `:${mapPort(ports, Number(port))}`);
    // "S3 over plain HTTP": moto serves http only; NativeLink refuses a plain-http endpoint without this.
    if (key === "experimental_cloud_object_store" && isObject(value)) value.insecure_allow_http = true;
    if (changes.entrypoint && key === "entrypoint" && typeof value === "string") parent[key] = changes.entrypoint;
  });
  return parseConfig(adapted);
}

/** The adapted configuration as the JSON5 file NativeLink reads. */
export function renderAdaptedConfig(config: NativeLinkConfig, changes: ConfigChanges): string {
  return renderConfig(adaptConfig(config, changes), { comment: ["tests/e2e: the stack's configuration with the test-only changes of tests/e2e/README.md."] });
}

export function mapPort(ports: PortMap, port: number): number {
  const mapped = ports.get(port);
  if (mapped === undefined) throw new Error(`the stack uses port ${port}, which the suite has no free port for (src/cluster.ts)`);
  return mapped;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function visit(node: unknown, onEntry: (key: string, value: unknown, parent: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, onEntry);
  } else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      onEntry(key, value, node);
      visit(node[key], onEntry);
    }
  }
}
