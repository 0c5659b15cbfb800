import { TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";

/** The reference topology (stub until the cluster constructs land). */
export class ReferenceDeployment extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new TerraformVariable(this, "base_domain", {
      type: "string",
      description: "The public Route 53 hosted zone that serves cas.DOMAIN and scheduler.DOMAIN.",
    });
  }
}
