import { TerraformOutput, Testing } from "cdktf";
import { NativeLinkImage } from "../../src/native-link-image.js";
import type { NativeLinkImageProps } from "../../src/props.js";

type Block = Record<string, unknown>;

/** The synthesized Terraform JSON of one NativeLinkImage, with its AMI ids as outputs. */
export interface Synthesized {
  readonly text: string;
  readonly resource: Record<string, Record<string, Block>>;
  readonly output: Record<string, { value: string }>;
}

export function synthImage(props: NativeLinkImageProps): Synthesized {
  const text = Testing.synthScope((scope) => {
    const image = new NativeLinkImage(scope, "Image", props);
    new TerraformOutput(scope, "ami_id_x86_64", { value: image.amiIds.x86_64 });
    new TerraformOutput(scope, "ami_id_arm64", { value: image.amiIds.arm64 });
  });
  const parsed = JSON.parse(text) as { resource?: Synthesized["resource"]; output?: Synthesized["output"] };
  return { text, resource: parsed.resource ?? {}, output: parsed.output ?? {} };
}

/** The blocks of one resource type, by their `name` argument (or logical id when they have none). */
export function byName(synthesized: Synthesized, type: string): Record<string, Block> {
  const blocks = Object.entries(synthesized.resource[type] ?? {});
  return Object.fromEntries(blocks.map(([id, block]) => [typeof block.name === "string" ? block.name : id, block]));
}

/** `name` → `version` of every component and recipe: what decides whether an image is rebaked. */
export function versions(synthesized: Synthesized): Record<string, string> {
  const entries = ["aws_imagebuilder_component", "aws_imagebuilder_image_recipe"].flatMap((type) =>
    Object.entries(byName(synthesized, type)).map(([name, block]) => [`${type}:${name}`, String(block.version)] as const),
  );
  return Object.fromEntries(entries);
}
