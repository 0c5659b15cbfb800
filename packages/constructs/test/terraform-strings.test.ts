import { TerraformStack, TerraformVariable, Testing, TerraformOutput } from "cdktf";
import { describe, expect, it } from "vitest";
import { terraformBase64 } from "../src/terraform-strings.js";
import { evaluateBase64Template } from "./terraform-string.js";

function synthesized(text: (variable: string) => string): string {
  const stack = new TerraformStack(Testing.app(), "strings");
  const variable = new TerraformVariable(stack, "bucket", { type: "string" });
  new TerraformOutput(stack, "value", { value: terraformBase64(text(variable.stringValue)) });
  return (JSON.parse(Testing.synth(stack)) as { output: { value: { value: string } } }).output.value.value;
}

describe("terraformBase64", () => {
  it("keeps NativeLink placeholders, quotes, backslashes and template markers literal", () => {
    const text = 'max_bytes: "${NATIVELINK_CACHE_BYTES:-1gb}",\n\tpath: "C:\\\\x" %{ if } $ {}\r\n';
    expect(evaluateBase64Template(synthesized(() => text))).toBe(text);
  });

  it("turns cdktf tokens into Terraform interpolations", () => {
    const value = synthesized((bucket) => `NATIVELINK_BUCKET=${bucket}\n`);
    expect(value).toBe('${base64encode(join("", ["NATIVELINK_BUCKET=", var.bucket, "\\n"]))}');
    expect(evaluateBase64Template(value, { "var.bucket": "my-bucket" })).toBe("NATIVELINK_BUCKET=my-bucket\n");
  });

  it("keeps placeholders literal next to tokens", () => {
    const value = synthesized((bucket) => 'a: "${NL_BYTES:-1gb}" \\ %{x}\nb=' + bucket + "\n");
    expect(evaluateBase64Template(value, { "var.bucket": "b1" })).toBe('a: "${NL_BYTES:-1gb}" \\ %{x}\nb=b1\n');
  });
});
