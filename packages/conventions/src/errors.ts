/** One invalid prop: which, the value given, what is wrong with it and how to fix it. */
export interface PropProblem {
  readonly prop: string;
  /** The value given (undefined when it was missing, or when the problem is not one value's). */
  readonly value?: unknown;
  /** What is wrong, e.g. `"A" is not 2-20 lowercase letters…`. */
  readonly problem: string;
  /** What to do instead, e.g. `use a short DNS-style name such as "nativelink"`. */
  readonly fix: string;
}

/**
 * Thrown by every nativelink-aws construct whose props are invalid, so a user catches one type. It names the construct
 * path, the prop, the value and the fix, in the style of aws-cdk-lib's validation errors. When several props are wrong,
 * `problems` lists them all and the fields describe the first.
 */
export class NativeLinkPropError extends Error {
  readonly prop: string;
  readonly value: unknown;
  readonly problem: string;
  readonly fix: string;
  /** Every problem found, this error's own first. */
  readonly problems: readonly PropProblem[];

  constructor(
    readonly constructPath: string,
    prop: string,
    problem: string,
    fix: string,
    value?: unknown,
  ) {
    super(describeProblem(constructPath, { prop, problem, fix }));
    this.name = "NativeLinkPropError";
    this.prop = prop;
    this.value = value;
    this.problem = problem;
    this.fix = fix;
    this.problems = [{ prop, value, problem, fix }];
  }

  /** One error for several problems (at least one): the message has a line for each. */
  static of(constructPath: string, problems: readonly [PropProblem, ...PropProblem[]]): NativeLinkPropError {
    const [first] = problems;
    const error = new NativeLinkPropError(constructPath, first.prop, first.problem, first.fix, first.value);
    error.message = problems.map((problem) => describeProblem(constructPath, problem)).join("\n");
    Object.defineProperty(error, "problems", { value: [...problems], enumerable: true });
    return error;
  }
}

function describeProblem(constructPath: string, { prop, problem, fix }: PropProblem): string {
  return `${constructPath}: invalid prop '${prop}': ${problem}. Fix: ${fix}.`;
}
