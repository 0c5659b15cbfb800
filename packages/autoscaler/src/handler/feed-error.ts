/** Why a feed was rejected (logged; every kind counts in the FeedErrors metric). */
export type FeedErrorKind =
  | "unreachable"
  | "http-status"
  | "not-prometheus"
  | "empty"
  | "metric-missing"
  | "absurd-value"
  | "too-large"
  /** Several NativeLink processes on the page and no single live one (see `liveProcess`). */
  | "several-processes";

/** The feed cannot be trusted: the handler logs it, counts it in FeedErrors, and changes no capacity. */
export class FeedError extends Error {
  override readonly name = "FeedError";

  constructor(
    readonly kind: FeedErrorKind,
    message: string,
  ) {
    super(message);
  }
}
