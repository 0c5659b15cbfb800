// PendingInput: synthesis succeeds and warns; the synthesized guard stops terraform plan with the message.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template/index.js";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { App, TerraformStack } from "cdktf";
import { describe, expect, it, vi } from "vitest";
import { PendingInput } from "../src/pending-input.js";

const MESSAGE = "No images lock file at images.lock.json: run `npx nativelink-aws images lock --out images.lock.json`, then synthesize again.";

interface Synthesized {
  locals: Record<string, unknown>;
  resource: {
    terraform_data: Record<
      string,
      { "//": Record<string, unknown>; input: string; lifecycle: { precondition: { condition: string; error_message: string }[] } }
    >;
    aws_launch_template: Record<string, { image_id: string }>;
  };
}

function synthesize(): {
  json: Synthesized;
  manifest: { stacks: { pending: { annotations: { level: string; message: string; constructPath: string }[] } } };
  stderr: string;
} {
  const outdir = mkdtempSync(join(tmpdir(), "pending-"));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "pending");
  new AwsProvider(stack, "aws", {});
  const images = new PendingInput(stack, "Images", { message: MESSAGE });
  new LaunchTemplate(stack, "Template", { imageId: images.value });
  const spy = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  let stderr: string;
  try {
    app.synth();
  } finally {
    stderr = spy.mock.calls.map(([text]) => String(text)).join("");
    spy.mockRestore();
  }
  return {
    json: JSON.parse(readFileSync(join(outdir, "stacks/pending/cdk.tf.json"), "utf8")) as Synthesized,
    manifest: JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as ReturnType<typeof synthesize>["manifest"],
    stderr,
  };
}

describe("PendingInput", () => {
  const { json, manifest, stderr } = synthesize();
  const [[guardId, guard]] = Object.entries(json.resource.terraform_data) as [[string, Synthesized["resource"]["terraform_data"][string]]];

  it("synthesizes a terraform_data guard whose precondition fails with the message", () => {
    const [precondition] = guard.lifecycle.precondition;
    expect(precondition!.error_message).toBe(MESSAGE);
    // Terraform refuses a constant condition: it reads a local that is false.
    const local = /^\$\{local\.([A-Za-z0-9_-]+)\}$/.exec(precondition!.condition)![1]!;
    expect(json.locals[local]).toBe(false);
    expect(guard["//"].nativelink_pending_input).toBe(MESSAGE);
  });

  it("gives a value that makes its users wait for the guard", () => {
    expect(Object.values(json.resource.aws_launch_template)[0]!.image_id).toBe(`\${terraform_data.${guardId}.output}`);
    expect(guard.input).toBe("pending");
  });

  it("warns at synthesis: an annotation for the cdktf CLI, and a line on stderr for node main.js", () => {
    expect(manifest.stacks.pending.annotations).toEqual([expect.objectContaining({ level: "@cdktf/warn", message: MESSAGE, constructPath: "pending/Images" })]);
    expect(stderr).toBe(`warning: pending/Images: ${MESSAGE}\n`);
  });

  it("needs a message that says what to do", () => {
    expect(() => new PendingInput(new TerraformStack(new App(), "s"), "Images", { message: "missing" })).toThrow(
      "s/Images: a pending input needs a message that says what to run or set",
    );
  });
});
