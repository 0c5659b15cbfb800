/**
 * Thrown when `NativeLinkImage` props are invalid. The message names the construct path, the prop,
 * what is wrong and how to fix it (the same shape as `@nativelink-aws/constructs`' errors).
 */
export class NativeLinkImagePropError extends Error {
  constructor(
    readonly constructPath: string,
    readonly prop: string,
    problem: string,
    fix: string,
  ) {
    super(`${constructPath}: invalid prop '${prop}': ${problem}. Fix: ${fix}.`);
    this.name = "NativeLinkImagePropError";
  }
}
