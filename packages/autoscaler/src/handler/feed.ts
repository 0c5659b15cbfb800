import { FeedError } from "./feed-error.js";

export interface FetchFeedOptions {
  /** Per attempt. */
  readonly timeoutMs: number;
  readonly attempts: number;
  /** Pause before the second attempt; doubled for each further one. */
  readonly retryDelayMs?: number;
  /** Larger bodies are refused: the collector's page is a few KB. */
  readonly maxBytes?: number;
}

const retryable = (status: number) => status === 429 || status >= 500;

/**
 * GETs the collector's Prometheus page with a timeout per attempt, retrying connection failures, timeouts and 5xx.
 * Returns the body; throws FeedError for anything that is not a non-empty Prometheus text page.
 */
export async function fetchFeed(url: string, options: FetchFeedOptions): Promise<string> {
  const maxBytes = options.maxBytes ?? 4_000_000;
  let lastError: FeedError = new FeedError("unreachable", "no attempt was made");
  for (let attempt = 1; attempt <= options.attempts; attempt += 1) {
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, (options.retryDelayMs ?? 200) * 2 ** (attempt - 2)));
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs), headers: { accept: "text/plain;version=0.0.4" } });
    } catch (error) {
      const cause = error instanceof Error && error.name === "TimeoutError" ? `no answer within ${options.timeoutMs} ms` : describeFetchError(error);
      lastError = new FeedError("unreachable", `${url} is unreachable (attempt ${attempt}/${options.attempts}): ${cause}`);
      continue;
    }
    const body = await response.text().catch(() => "");
    if (!response.ok) {
      lastError = new FeedError("http-status", `${url} answered HTTP ${response.status} (attempt ${attempt}/${options.attempts})`);
      if (retryable(response.status)) continue;
      throw lastError;
    }
    const contentType = response.headers.get("content-type") ?? "";
    if (/html/i.test(contentType) || /^\s*<(!doctype|html)/i.test(body))
      throw new FeedError("not-prometheus", `${url} answered an HTML page (${contentType || "no content type"}), not Prometheus text`);
    if (body.length > maxBytes) throw new FeedError("too-large", `${url} answered ${body.length} bytes, more than ${maxBytes}`);
    if (body.trim() === "") throw new FeedError("empty", `${url} answered an empty page: the collector has no metrics from NativeLink`);
    return body;
  }
  throw lastError;
}

function describeFetchError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === "object" && cause !== null && "code" in cause ? ` (${String((cause as { code: unknown }).code)})` : "";
  return `${cause instanceof Error ? cause.message : String(cause)}${code}`;
}
