import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo, Server as NetServer } from "node:net";

/** A request the fake metadata service saw. */
export interface ImdsRequest {
  readonly method: string;
  readonly path: string;
  readonly token: string | undefined;
  readonly ttl: string | undefined;
}

export interface FakeImdsOptions {
  /** Instance tags readable through metadata; undefined = `instance_metadata_tags` disabled. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Refuse to issue tokens (as when the endpoint or PUT is blocked). */
  readonly refuseTokens?: boolean;
  /** Other items under `/latest/meta-data/`, by path (e.g. `instance-id`); the rest answer 404. */
  readonly metadata?: Readonly<Record<string, string>>;
  /**
   * A listening socket to serve on instead of a loopback port (e.g. 169.254.169.254:80 in a network namespace,
   * see helpers/netns.ts), and the endpoint clients use to reach it.
   */
  readonly listen?: { readonly handle: NetServer; readonly endpoint: string };
}

export interface FakeImds {
  readonly endpoint: string;
  readonly requests: ImdsRequest[];
  /** Sets (or, with undefined, removes) an item under `/latest/meta-data/`, as EC2 does when an event arrives. */
  setMetadata(path: string, value: string | undefined): void;
  /** Starts or stops refusing tokens. */
  setRefuseTokens(refuse: boolean): void;
  close(): Promise<void>;
}

const TOKEN = "fake-imdsv2-token";

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * An IMDSv2 stand-in on loopback that behaves like EC2 with `http_tokens = required`: a token from
 * `PUT /latest/api/token` (TTL header required) must accompany every GET, or it answers 401.
 */
export async function startFakeImds(options: FakeImdsOptions): Promise<FakeImds> {
  const requests: ImdsRequest[] = [];
  const metadata = new Map(Object.entries(options.metadata ?? {}));
  let refuseTokens = options.refuseTokens ?? false;
  const server: Server = createServer((request, response) => {
    const path = request.url ?? "/";
    const token = header(request, "x-aws-ec2-metadata-token");
    const ttl = header(request, "x-aws-ec2-metadata-token-ttl-seconds");
    requests.push({ method: request.method ?? "", path, token, ttl });
    const reply = (status: number, body = "") => {
      response.writeHead(status, { "content-type": "text/plain" });
      response.end(body);
    };
    if (request.method === "PUT" && path === "/latest/api/token") {
      if (refuseTokens) return reply(403, "Forbidden");
      return ttl ? reply(200, TOKEN) : reply(400, "Missing TTL header");
    }
    if (request.method !== "GET") return reply(405);
    if (token !== TOKEN) return reply(401, "Unauthorized");
    const item = metadata.get(path.slice("/latest/meta-data/".length));
    if (path.startsWith("/latest/meta-data/") && item !== undefined) return reply(200, item);
    const prefix = "/latest/meta-data/tags/instance";
    if (!path.startsWith(prefix) || options.tags === undefined) return reply(404, "Not Found");
    if (path === prefix || path === `${prefix}/`) return reply(200, Object.keys(options.tags).join("\n"));
    const key = decodeURIComponent(path.slice(prefix.length + 1));
    const value = options.tags[key];
    return value === undefined ? reply(404, "Not Found") : reply(200, value);
  });
  await new Promise<void>((resolve) => (options.listen ? server.listen(options.listen.handle, resolve) : server.listen(0, "127.0.0.1", resolve)));
  return {
    endpoint: options.listen?.endpoint ?? `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    setMetadata: (path, value) => void (value === undefined ? metadata.delete(path) : metadata.set(path, value)),
    setRefuseTokens: (refuse) => void (refuseTokens = refuse),
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** A loopback endpoint nothing listens on. */
export async function unreachableEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
