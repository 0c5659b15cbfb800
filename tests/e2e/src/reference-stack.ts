// The one place that knows how the reference app is built: when the app changes, adapt this function.
import { ReferenceDeployment } from "@nativelink-aws/reference-deployment/dist/index.js";
import { Testing } from "cdktf";

/** Terraform JSON as cdktf synthesizes it (the parts the suite reads). */
export interface TerraformJson {
  readonly variable?: Record<string, { readonly default?: unknown }>;
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { readonly value: unknown }>;
}

/** The reference deployment's stack (`apps/reference-deployment`), synthesized as `npm run synth` synthesizes it. */
export function synthesizeReferenceStack(): TerraformJson {
  return JSON.parse(Testing.synth(new ReferenceDeployment(Testing.app(), "nativelink"))) as TerraformJson;
}
