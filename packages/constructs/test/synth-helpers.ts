import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import type { App } from "cdktf";
import { TerraformStack, Testing } from "cdktf";
import { fileURLToPath } from "node:url";
import { readClientCaDirectory } from "../src/client-ca-directory.js";
import type { VerifiedClientAuthentication } from "../src/client-authentication.js";
import { NativeLinkCluster } from "../src/cluster.js";
import type { NativeLinkClusterProps } from "../src/cluster-props.js";

export interface Synthesized {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data: Record<string, Record<string, Record<string, unknown>>>;
  output: Record<string, { value: unknown; description?: string }>;
}

export const TEST_IMAGES = { x86_64: "ami-0123456789abcdef0", arm64: "ami-0fedcba9876543210" };

/** A client CA directory written by the real `nativelink-aws certs publish` (public files only; see tools/README.md). */
export const FIXTURE_CLIENT_CA = fileURLToPath(new URL("../../../tools/fixtures/client-ca", import.meta.url));
const fixture = readClientCaDirectory(FIXTURE_CLIENT_CA, { deployment: "nativelink" });
/** Both listeners verifying client certificates against the fixture's CAs. */
export const TEST_CLIENT_AUTHENTICATION: VerifiedClientAuthentication = { mode: "verify", readers: fixture.readers, writers: fixture.writers };

/** The props every test cluster needs: a domain, images and client authentication. */
export const REQUIRED_PROPS = { baseDomain: "build.example.com", images: TEST_IMAGES, clientAuthentication: TEST_CLIENT_AUTHENTICATION } as const;

export function clusterStack(props: Partial<NativeLinkClusterProps> = {}, app: App = Testing.app()): TerraformStack {
  const stack = new TerraformStack(app, props.name ?? "test");
  new AwsProvider(stack, "aws", {});
  new NativeLinkCluster(stack, "Cluster", { ...REQUIRED_PROPS, ...props });
  return stack;
}

export function synthCluster(props: Partial<NativeLinkClusterProps> = {}): Synthesized {
  return JSON.parse(Testing.synth(clusterStack(props))) as Synthesized;
}

/** Every resource of one type, keyed by logical id. */
export function resources(synth: Synthesized, type: string): Record<string, Record<string, unknown>> {
  return synth.resource[type] ?? {};
}

export function only(synth: Synthesized, type: string): Record<string, unknown> {
  const all = Object.values(resources(synth, type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0]!;
}
