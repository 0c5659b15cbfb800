import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { fetchFeed } from "../src/handler/feed.js";
import type { FeedError } from "../src/handler/feed-error.js";

const page = 'nativelink_execution_active_count{execution_stage="queued"} 1\n';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A collector stand-in that answers its nth request with `answers[n]` (the last one repeats); "hang" never answers. */
async function server(answers: readonly (number | "hang")[]) {
  let requests = 0;
  const http = createServer((_: IncomingMessage, response: ServerResponse) => {
    const answer = answers[Math.min(requests, answers.length - 1)]!;
    requests += 1;
    if (answer === "hang") return;
    response.writeHead(answer, { "content-type": "text/plain; version=0.0.4" });
    response.end(answer === 200 ? page : "busy");
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise<void>((resolve) => (http.closeAllConnections(), http.close(() => resolve()))));
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/metrics`, requests: () => requests };
}

const failure = async (promise: Promise<unknown>) =>
  (await promise.then(
    () => undefined,
    (error: unknown) => error,
  )) as FeedError;

describe("fetchFeed: timeout and retries", () => {
  it("retries 5xx and returns the page that finally comes", async () => {
    const collector = await server([503, 502, 200]);
    await expect(fetchFeed(collector.url, { timeoutMs: 1000, attempts: 3, retryDelayMs: 5 })).resolves.toBe(page);
    expect(collector.requests()).toBe(3);
  });

  it("gives up after the last attempt, naming the status and the attempt count", async () => {
    const collector = await server([503]);
    const error = await failure(fetchFeed(collector.url, { timeoutMs: 1000, attempts: 2, retryDelayMs: 5 }));
    expect(error).toMatchObject({ kind: "http-status", message: expect.stringMatching(/answered HTTP 503 \(attempt 2\/2\)/) });
    expect(collector.requests()).toBe(2);
  });

  it("does not retry a 4xx: asking again will not help", async () => {
    const collector = await server([404, 200]);
    const error = await failure(fetchFeed(collector.url, { timeoutMs: 1000, attempts: 3, retryDelayMs: 5 }));
    expect(error).toMatchObject({ kind: "http-status", message: expect.stringMatching(/HTTP 404 \(attempt 1\/3\)/) });
    expect(collector.requests()).toBe(1);
  });

  it("times each attempt out and retries, then reports no answer within the timeout", async () => {
    const collector = await server(["hang"]);
    const started = performance.now();
    const error = await failure(fetchFeed(collector.url, { timeoutMs: 200, attempts: 2, retryDelayMs: 5 }));
    const elapsed = performance.now() - started;
    expect(error).toMatchObject({ kind: "unreachable", message: expect.stringMatching(/is unreachable \(attempt 2\/2\): no answer within 200 ms$/) });
    expect(collector.requests()).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(3000);
  });

  it("recovers when a hung first attempt is followed by an answer", async () => {
    const collector = await server(["hang", 200]);
    await expect(fetchFeed(collector.url, { timeoutMs: 200, attempts: 2, retryDelayMs: 5 })).resolves.toBe(page);
    expect(collector.requests()).toBe(2);
  });
});
