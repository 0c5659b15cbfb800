import { pendingInputMessage } from "../../pending-input.js";
import type { StackItem, StackView } from "../rule.js";

/** Resources that produce an AMI: a bake, a copy, a registration. */
const AMI_RESOURCES = ["aws_imagebuilder_image", "aws_ami", "aws_ami_copy", "aws_ami_from_instance"];

/** Where a launch template's `image_id` comes from. */
export type ImageSource =
  | { readonly kind: "none" }
  | { readonly kind: "found" }
  | { readonly kind: "pending"; readonly message: string }
  | { readonly kind: "missing"; readonly problem: string };

export function imageSource(template: StackItem, stack: StackView): ImageSource {
  const imageId = template.config.image_id;
  if (imageId === undefined || imageId === null) return { kind: "none" };
  if (typeof imageId !== "string" || imageId === "") return { kind: "missing", problem: "image_id is empty" };
  if (!imageId.includes("${")) {
    return /^ami-[0-9a-f]{8,17}$/.test(imageId) ? { kind: "found" } : { kind: "missing", problem: `image_id "${imageId}" is not an AMI id (ami-…)` };
  }
  const referenced = stack.references(imageId);
  const pending = referenced.map(pendingInputMessage).find((message) => message !== undefined);
  if (pending !== undefined) return { kind: "pending", message: pending };
  // Variables, locals and module outputs are answered by Terraform itself; data sources and AMI resources are AMIs.
  if (/\b(var|local|module)\./.test(imageId) || referenced.some((item) => item.kind === "data" || AMI_RESOURCES.includes(item.type))) return { kind: "found" };
  return { kind: "missing", problem: `image_id ${imageId} comes from nothing that provides an AMI` };
}
