/** Cross-field rules about workers and listeners, broken once each, with the exact message. */
import { describe, expect, test } from "vitest";
import { broken, errorOf } from "./fixtures.js";

describe("a worker's cas_fast_slow_store is a fast_slow store with a filesystem fast store", () => {
  test("not fast_slow", () => {
    expect(errorOf(broken((c) => (c.workers[0].local.cas_fast_slow_store = "AC")))).toBe(
      'workers[0].local.cas_fast_slow_store: store "AC" is a memory store; the worker needs a fast_slow ' +
        "store whose fast store is a filesystem store (NativeLink hardlinks action inputs from it)",
    );
  });

  test("fast is not a filesystem store", () => {
    expect(errorOf(broken((c) => (c.workers[0].local.cas_fast_slow_store = "CAS")))).toBe(
      'workers[0].local.cas_fast_slow_store: the fast store of "CAS" is a memory store; ' +
        "make it a filesystem store (NativeLink hardlinks action inputs from it)",
    );
  });

  test("ref_store is followed on both levels, as NativeLink's downcast does", () => {
    const config = broken((c) => {
      const fast = c.stores[2].fast_slow.fast;
      c.stores.push({ name: "DISK", ...fast }, { name: "ALIAS", ref_store: { name: "WORKER_CAS" } });
      c.stores[2].fast_slow.fast = { ref_store: { name: "DISK" } };
      c.workers[0].local.cas_fast_slow_store = "ALIAS";
    });
    expect(errorOf(config)).toBe("");
  });

  test("a wrapper other than ref_store hides the fast_slow store", () => {
    expect(
      errorOf(
        broken((c) => {
          c.stores.push({ name: "VERIFIED", verify: { backend: { ref_store: { name: "WORKER_CAS" } } } });
          c.workers[0].local.cas_fast_slow_store = "VERIFIED";
        }),
      ),
    ).toBe(
      'workers[0].local.cas_fast_slow_store: store "VERIFIED" is a verify store; the worker needs a ' +
        "fast_slow store whose fast store is a filesystem store (NativeLink hardlinks action inputs from it)",
    );
  });

  test("the reason names the ref_store chain", () => {
    expect(
      errorOf(
        broken((c) => {
          c.stores.push({ name: "ALIAS", ref_store: { name: "AC" } });
          c.workers[0].local.cas_fast_slow_store = "ALIAS";
        }),
      ),
    ).toBe(
      'workers[0].local.cas_fast_slow_store: store "ALIAS" (through ref_store "AC") is a memory store; ' +
        "the worker needs a fast_slow store whose fast store is a filesystem store (NativeLink hardlinks action inputs from it)",
    );
  });
});

describe("directories", () => {
  test("work_directory must not overlap the fast store's paths", () => {
    expect(errorOf(broken((c) => (c.workers[0].local.work_directory = "/data/content/work")))).toBe(
      'workers[0].local.work_directory: work_directory "/data/content/work" overlaps the fast store\'s content_path ' +
        '"/data/content"; NativeLink empties work_directory at start-up, so use a sibling directory on the same filesystem',
    );
  });

  test("temp_path must not overlap content_path", () => {
    expect(errorOf(broken((c) => (c.stores[2].fast_slow.fast.filesystem.temp_path = "/data/content/")))).toBe(
      'stores[2].fast_slow.fast.filesystem.temp_path: temp_path "/data/content/" overlaps content_path "/data/content"; ' +
        "NativeLink empties temp_path at start-up, so use a sibling directory on the same device",
    );
  });
});

describe("query_cmd runs without a shell and without PATH", () => {
  const withCommand = (query_cmd: string) => broken((c) => (c.workers[0].local.platform_properties.cpu_count = { query_cmd }));
  const path = "workers[0].local.platform_properties.cpu_count.query_cmd";

  test.each([
    [
      "nproc",
      `${path}: "nproc" is not an absolute path; NativeLink runs query_cmd without ` +
        `a shell and with an empty environment (no PATH), so write e.g. /usr/bin/nproc`,
    ],
    ["/usr/bin/awk '/MemTotal/", `${path}: unbalanced quotes or a trailing backslash; NativeLink cannot split this command`],
    ["  ", `${path}: empty command; NativeLink needs a program to run`],
    ["/usr/bin/awk '/MemTotal/ { print $2 }' /proc/meminfo", ""],
  ])("%j", (command, message) => {
    expect(errorOf(withCommand(command))).toBe(message);
  });
});

describe("servers", () => {
  test("worker_api stays on a private listener", () => {
    expect(errorOf(broken((c) => (c.servers[0].services.worker_api = { scheduler: "MAIN" })))).toBe(
      "servers[0].services.worker_api: worker_api shares this listener with cas, ac, capabilities, " +
        "execution, bytestream; serve worker_api on its own private server (only admin and health may join it)",
    );
  });

  test("one port per listener", () => {
    expect(errorOf(broken((c) => (c.servers[1].listener.http.socket_address = "127.0.0.1:50051")))).toBe(
      'servers[1].listener.http.socket_address: port 50051 is already bound by servers[0] ("0.0.0.0:50051"); give each server its own port',
    );
  });

  test("one entry per instance and service", () => {
    expect(errorOf(broken((c) => c.servers[0].services.bytestream.push({ instance_name: "main", cas_store: "CAS" })))).toBe(
      'servers[0].services.bytestream[1].instance_name: instance "main" is already ' +
        "served by services.bytestream[0] on this server; keep one entry per instance",
    );
  });
});
