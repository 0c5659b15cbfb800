// The setup every moto test file of the handler shares: the SDK pointed at moto by the environment only (as in the
// Lambda), and one collector stand-in for the file's tests, serving an idle page until a test answers otherwise.
import { afterAll, beforeAll, inject } from "vitest";
import { motoEnvironment } from "../../../../tools/moto/moto-server.js";
import { collectorPage, startFeedServer, type FeedAnswer, type FeedServer } from "./feed-server.js";

export function motoTestFile(idle: FeedAnswer = { body: collectorPage({ queued: 0, executing: 0 }) }): { endpoint: string; feed: FeedServer } {
  const endpoint = inject("motoEndpoint");
  Object.assign(process.env, motoEnvironment(endpoint));
  let server: FeedServer | undefined;
  beforeAll(async () => {
    server = await startFeedServer(idle);
  });
  afterAll(() => server?.close());
  const started = (): FeedServer => {
    if (!server) throw new Error("the feed server starts in the file's beforeAll: use it inside a test");
    return server;
  };
  const feed: FeedServer = {
    get url() {
      return started().url;
    },
    answer: (answer) => started().answer(answer),
    get requests() {
      return started().requests;
    },
    close: () => started().close(),
  };
  return { endpoint, feed };
}
