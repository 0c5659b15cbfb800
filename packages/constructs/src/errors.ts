/**
 * Thrown when a construct's props are invalid. The message names the construct path, the prop,
 * what is wrong and how to fix it, in the style of aws-cdk-lib's validation errors.
 */
export class NativeLinkPropError extends Error {
  constructor(
    readonly constructPath: string,
    readonly prop: string,
    problem: string,
    fix: string,
  ) {
    super(`${constructPath}: invalid prop '${prop}': ${problem}. Fix: ${fix}.`);
    this.name = "NativeLinkPropError";
  }
}
