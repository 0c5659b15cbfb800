// A stand-in for the scheduler's collector: an HTTP server on 127.0.0.1 whose answer a test sets.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FeedAnswer {
  readonly status?: number;
  readonly contentType?: string;
  readonly body: string;
}

export interface FeedServer {
  /** `http://127.0.0.1:PORT/metrics`. */
  readonly url: string;
  answer(answer: FeedAnswer): void;
  /** Requests served so far. */
  readonly requests: number;
  close(): Promise<void>;
}

export async function startFeedServer(initial: FeedAnswer): Promise<FeedServer> {
  let current = initial;
  let requests = 0;
  const server: Server = createServer((_, response) => {
    requests += 1;
    response.writeHead(current.status ?? 200, { "content-type": current.contentType ?? "text/plain; version=0.0.4; charset=utf-8" });
    response.end(current.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    answer: (answer) => {
      current = answer;
    },
    get requests() {
      return requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A collector page with these counts (names and labels as NativeLink v1.6.6 and otelcol produce them); `completed`
 * is the completed stage, the counter of actions finished since the scheduler started.
 */
export function collectorPage(counts: { queued: number; executing: number; workers?: number; completed?: number }): string {
  const lines = [
    "# HELP nativelink_execution_active_count Number of actions currently in each stage",
    "# TYPE nativelink_execution_active_count gauge",
    ...(counts.completed === undefined
      ? []
      : [`nativelink_execution_active_count{execution_stage="completed",otel_scope_name="nativelink",otel_scope_version=""} ${counts.completed}`]),
    `nativelink_execution_active_count{execution_stage="executing",otel_scope_name="nativelink",otel_scope_version=""} ${counts.executing}`,
    `nativelink_execution_active_count{execution_stage="queued",otel_scope_name="nativelink",otel_scope_version=""} ${counts.queued}`,
  ];
  if (counts.workers !== undefined) {
    lines.push(
      "# TYPE nativelink_worker_connected_count gauge",
      `nativelink_worker_connected_count{otel_scope_name="nativelink",otel_scope_version=""} ${counts.workers}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
