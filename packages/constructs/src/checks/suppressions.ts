import type { IConstruct } from "constructs";

const METADATA_TYPE = "nativelink:checks:suppression";

/** A rule switched off for a construct and everything below it, with the reason why. */
export interface CheckSuppression {
  readonly id: string;
  readonly reason: string;
}

/**
 * Suppresses rule `id` for `scope` and its children. The reason is required and ends up in the
 * synthesized metadata of each resource it silences, so reviewers see why.
 */
export function suppressCheck(scope: IConstruct, id: string, reason: string): void {
  if (reason.trim().length < 10) {
    throw new Error(`${scope.node.path}: suppressing ${id} needs a written reason of at least 10 characters saying why the rule does not apply here`);
  }
  scope.node.addMetadata(METADATA_TYPE, { id, reason: reason.trim() } satisfies CheckSuppression);
}

/** The suppression of `id` that applies to `construct`, from itself or an ancestor. */
export function suppressionFor(construct: IConstruct, id: string): CheckSuppression | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    const entry = scope.node.metadata.find((m) => m.type === METADATA_TYPE && (m.data as CheckSuppression).id === id);
    if (entry) return entry.data as CheckSuppression;
  }
  return undefined;
}
