import { appendFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeAdmin {
  /** The admin base URL, as role.env's NATIVELINK_ADMIN_URL gives it. */
  readonly url: string;
  /** Worker ids the scheduler knows; others are "not in the pool". */
  readonly workers: Set<string>;
  /** Makes every request fail with HTTP 503 (the scheduler restarting, say) until set back. */
  setFailing(failing: boolean): void;
  close(): Promise<void>;
}

/**
 * The admin service of NativeLink 1.6.6's scheduler on loopback, answering as the real one does (measured):
 * `POST /admin/scheduler/<scheduler>/set_drain_worker/<worker id>/<0|1>` is 200 `Draining worker <id>`, or 500
 * for an unknown scheduler or worker; anything else 404 `No route for …` (405 for another method on the route).
 * Each request is appended to `callsLog` as `admin METHOD PATH`, in order with the fake tools' calls.
 */
export async function startFakeAdmin(scheduler: string, callsLog: string): Promise<FakeAdmin> {
  const workers = new Set<string>();
  let failing = false;
  const server: Server = createServer((request, response) => {
    const path = request.url ?? "/";
    appendFileSync(callsLog, `admin ${request.method ?? ""} ${path}\n`);
    const reply = (status: number, body: string) => {
      response.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
      response.end(body);
    };
    if (failing) return reply(503, "Service Unavailable");
    const route = /^\/admin\/scheduler\/([^/]+)\/set_drain_worker\/([^/]+)\/([^/]+)$/.exec(path);
    if (!route) return reply(404, `No route for ${path}`);
    if (request.method !== "POST") return reply(405, "");
    const [, name, worker, flag] = route as unknown as [string, string, string, string];
    const error = (message: string) => reply(500, `Error: Error { code: Internal, messages: ["${message}"] }`);
    if (name !== scheduler) return error(`Can not get an instance with the name of '${name}'`);
    if (flag !== "0" && flag !== "1") return error(`${flag} is neither 0 nor 1`);
    if (!workers.has(worker)) return error(`Worker ${worker} doesn't exist in the pool`);
    return reply(200, `Draining worker ${worker}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/admin`,
    workers,
    setFailing: (value) => void (failing = value),
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
