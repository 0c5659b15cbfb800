/** How bad a finding is: errors fail synthesis, warnings are reported. */
export type Severity = "error" | "warning";

/** One resource or data source of the synthesized stack, as Terraform will see it. */
export interface StackItem {
  readonly kind: "resource" | "data";
  readonly type: string;
  readonly id: string;
  /** Construct path, from the synthesized metadata. */
  readonly path: string;
  readonly config: Record<string, unknown>;
}

/** The item's Terraform address: `type.id`, or `data.type.id` for a data source. */
export function addressOf(item: StackItem): string {
  return `${item.kind === "data" ? "data." : ""}${item.type}.${item.id}`;
}

/** The whole synthesized stack, for rules that look across resources (a bucket and its policy). */
export interface StackView {
  readonly items: readonly StackItem[];
  ofType(type: string, kind?: StackItem["kind"]): StackItem[];
  /** The item a `${type.id.attr}` or `${data.type.id.attr}` reference points at. */
  referenced(reference: unknown): StackItem | undefined;
  /** Every item an expression such as `${tolist(aws_imagebuilder_image.x.output_resources)[0]…}` refers to. */
  references(expression: unknown): StackItem[];
}

/** A check in the style of cdk-nag: one rule, one file, with an id, a severity, why it matters and the fix. */
export interface CheckRule {
  readonly id: string;
  readonly severity: Severity;
  /** What must hold, in a few words. */
  readonly title: string;
  /** Why it matters. */
  readonly explanation: string;
  /** How to comply. */
  readonly fix: string;
  /** The resource types this rule inspects. */
  readonly resourceTypes: readonly string[];
  /** Problems with one item; an empty list means compliant. */
  check(item: StackItem, stack: StackView): string[];
}

/** Terraform's list-or-single-block values as a list. */
export function blocks(value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as Record<string, unknown>[];
}

/** True for `true` and `"true"` (the provider takes both for some attributes). */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}
