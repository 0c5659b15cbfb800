import { Construct } from "constructs";
import { Annotations, DataResource, TerraformLocal } from "./cdktf.js";
import type { StackItem } from "./checks/rule.js";

/** The `//` comment key that marks a pending input's guard in the synthesized JSON (Terraform ignores `//`). */
export const PENDING_INPUT_MARKER = "nativelink_pending_input";

export interface PendingInputProps {
  /**
   * What is missing and exactly what to run or set to provide it, e.g. "No images lock file at images.lock.json:
   * run `npx nativelink-aws images lock --out images.lock.json`, then synthesize again". Terraform's plan stops with
   * this text, and synthesis warns with it.
   */
  readonly message: string;
}

/**
 * Stands in for an input the app does not have yet (a file to write first, a value to set), so that synthesis still
 * succeeds while nothing half-configured can be deployed:
 *
 * - a `terraform_data` guard whose `lifecycle.precondition` is false: `terraform plan` (and so `apply`) stops with
 *   `message` before anything is created;
 * - `value`, the guard's `output`, to use where the missing value belongs (an AMI id, a certificate): whatever
 *   references it waits for the guard;
 * - a warning annotation with `message` (the cdktf CLI prints it), also printed to stderr by `app.synth()`, because
 *   `node main.js` prints no annotation;
 * - the `//` comment `nativelink_pending_input` on the guard, which the completeness rules of `NativeLinkChecks`
 *   (`NL-AMI-2`) report as a warning.
 *
 * ```ts
 * const pending = new PendingInput(this, "ImagesPending", { message: "No images lock file at images.lock.json: run …" });
 * new NativeLinkCluster(this, "Cluster", { images: { x86_64: pending.value, arm64: pending.value }, … });
 * ```
 */
export class PendingInput extends Construct {
  /** The guard that stops `terraform plan`. */
  readonly guard: DataResource;
  readonly message: string;
  /** The guard's output (the string "pending"), a placeholder that makes its users wait for the guard. */
  readonly value: string;

  constructor(scope: Construct, id: string, props: PendingInputProps) {
    super(scope, id);
    if (props.message.trim().length < 20) {
      throw new Error(`${this.node.path}: a pending input needs a message that says what to run or set (at least 20 characters)`);
    }
    this.message = props.message.trim();
    // Terraform refuses a constant condition ("must refer to at least one object"): the constant lives in a local.
    const provided = new TerraformLocal(this, "Provided", false);
    this.guard = new DataResource(this, "Guard", { lifecycle: { precondition: [{ condition: provided.asBoolean, errorMessage: this.message }] } });
    this.guard.addOverride("input", "pending");
    this.guard.addOverride(`//.${PENDING_INPUT_MARKER}`, this.message);
    this.value = this.guard.getStringAttribute("output");
    Annotations.of(this).addWarning(this.message);
    this.node.addValidation({
      validate: () => {
        process.stderr.write(`warning: ${this.node.path}: ${this.message}\n`);
        return [];
      },
    });
  }
}

/** The message of a pending input's guard, if `item` is one. */
export function pendingInputMessage(item: StackItem): string | undefined {
  if (item.type !== "terraform_data") return undefined;
  const message = (item.config["//"] as Record<string, unknown> | undefined)?.[PENDING_INPUT_MARKER];
  return typeof message === "string" ? message : undefined;
}
