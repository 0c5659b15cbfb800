// A release mirror on 127.0.0.1 (random port) for the `images lock` tests: serves files by path, answers 404 for
// anything else, and can be told to hang (no answer at all, or headers and then silence).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Served = Buffer | { readonly status: number } | "hang" | "hang-after-headers";

export class ReleaseServer {
  /** Path (e.g. `/nativelink/v1.6.6/nativelink-1.6.6.intoto.jsonl`) to what is served there. */
  readonly files = new Map<string, Served>();
  /** Paths requested, in order. */
  readonly requests: string[] = [];
  private readonly server: Server = createServer((request, response) => this.answer(request, response));
  private port = 0;

  private constructor() {}

  static async start(): Promise<ReleaseServer> {
    const instance = new ReleaseServer();
    await new Promise<void>((resolve) => instance.server.listen(0, "127.0.0.1", resolve));
    instance.port = (instance.server.address() as AddressInfo).port;
    return instance;
  }

  /** `http://127.0.0.1:PORT`. */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? "/", this.origin).pathname;
    this.requests.push(path);
    const served = this.files.get(path) ?? { status: 404 };
    if (served === "hang") return;
    if (served === "hang-after-headers") {
      response.writeHead(200, { "content-type": "application/octet-stream", "content-length": "1000000" });
      response.write(Buffer.alloc(10));
      return;
    }
    if (!Buffer.isBuffer(served)) {
      response.writeHead(served.status).end(`status ${served.status}\n`);
      return;
    }
    response.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(served.length) }).end(served);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }
}
