/** Each cross-field rule, broken once, with the exact message. */
import { describe, expect, test } from "vitest";
import type { Loose } from "./fixtures.js";
import { safeParseConfig } from "../src/index.js";
import { broken, errorOf } from "./fixtures.js";

const undefinedStore = (name: string) => `store "${name}" is not defined; add {name: "${name}", ...} to stores or fix the reference`;
const undefinedScheduler = (name: string) => `scheduler "${name}" is not defined; add {name: "${name}", simple: {...}} to schedulers or fix the reference`;

describe("names are unique", () => {
  test("stores", () => {
    expect(errorOf(broken((c) => c.stores.push({ name: "AC", noop: {} })))).toBe(
      'stores[3].name: store name "AC" is already used by stores[1]; store names must be unique',
    );
  });

  test("schedulers", () => {
    expect(errorOf(broken((c) => c.schedulers.push({ name: "MAIN", simple: {} })))).toBe(
      'schedulers[1].name: scheduler name "MAIN" is already used by schedulers[0]; scheduler names must be unique',
    );
  });

  test("workers (explicit names)", () => {
    expect(
      errorOf(
        broken((c) => {
          c.workers[0].local.name = "w";
          c.workers.push({ local: { ...c.workers[0].local } });
        }),
      ),
    ).toBe('workers[1].local.name: worker name "w" is already used by workers[0]; worker names must be unique');
  });
});

describe("every reference resolves", () => {
  test("a nested ref_store", () => {
    expect(errorOf(broken((c) => (c.stores[1] = { name: "AC", fast_slow: { fast: { ref_store: { name: "fast" } }, slow: { noop: {} } } })))).toBe(
      `stores[1].fast_slow.fast.ref_store.name: ${undefinedStore("fast")}`,
    );
  });

  test.each([
    ["cas", (c: Loose) => (c.servers[0].services.cas[0].cas_store = "X"), "servers[0].services.cas[0].cas_store"],
    ["ac", (c: Loose) => (c.servers[0].services.ac[0].ac_store = "X"), "servers[0].services.ac[0].ac_store"],
    ["bytestream", (c: Loose) => (c.servers[0].services.bytestream[0].cas_store = "X"), "servers[0].services.bytestream[0].cas_store"],
    ["execution", (c: Loose) => (c.servers[0].services.execution[0].cas_store = "X"), "servers[0].services.execution[0].cas_store"],
    ["worker cas_fast_slow_store", (c: Loose) => (c.workers[0].local.cas_fast_slow_store = "X"), "workers[0].local.cas_fast_slow_store"],
    [
      "worker upload_action_result.ac_store",
      (c: Loose) => (c.workers[0].local.upload_action_result.ac_store = "X"),
      "workers[0].local.upload_action_result.ac_store",
    ],
    [
      "worker historical_results_store",
      (c: Loose) => (c.workers[0].local.upload_action_result.historical_results_store = "X"),
      "workers[0].local.upload_action_result.historical_results_store",
    ],
  ])("store named by %s", (_, change, path) => {
    expect(errorOf(broken(change))).toBe(`${path}: ${undefinedStore("X")}`);
  });

  test.each([
    ["execution", (c: Loose) => (c.servers[0].services.execution[0].scheduler = "Y"), "servers[0].services.execution[0].scheduler"],
    [
      "capabilities",
      (c: Loose) => (c.servers[0].services.capabilities[0].remote_execution.scheduler = "Y"),
      "servers[0].services.capabilities[0].remote_execution.scheduler",
    ],
    ["worker_api", (c: Loose) => (c.servers[1].services.worker_api.scheduler = "Y"), "servers[1].services.worker_api.scheduler"],
  ])("scheduler named by %s", (_, change, path) => {
    expect(errorOf(broken(change))).toBe(`${path}: ${undefinedScheduler("Y")}`);
  });

  test("ref_store must not lead back to the store that holds it", () => {
    expect(
      errorOf(
        broken((c) => {
          c.stores.push({ name: "A", ref_store: { name: "B" } }, { name: "B", verify: { backend: { ref_store: { name: "A" } } } });
        }),
      ),
    ).toBe('stores[4].verify.backend.ref_store.name: ref_store makes a cycle: "A" → "B" → "A"; point it at a store that does not lead back here');
  });
});

describe("ac and cas services of one instance do not share a store", () => {
  test("same name", () => {
    expect(errorOf(broken((c) => (c.servers[0].services.ac[0].ac_store = "CAS")))).toBe(
      'servers[0].services.ac[0].ac_store: the ac and cas services of instance "main" ' +
        'share store "CAS"; NativeLink refuses this, give the action cache its own store',
    );
  });

  test("an alias through a top-level ref_store", () => {
    expect(
      errorOf(
        broken((c) => {
          c.stores.push({ name: "CAS_ALIAS", ref_store: { name: "CAS" } });
          c.servers[0].services.ac[0].ac_store = "CAS_ALIAS";
        }),
      ),
    ).toBe(
      'servers[0].services.ac[0].ac_store: the ac and cas services of instance "main" share store "CAS" ' +
        '(cas_store "CAS", ac_store "CAS_ALIAS"); NativeLink refuses this, give the action cache its own store',
    );
  });

  test("different instances may share", () => {
    expect(errorOf(broken((c) => (c.servers[0].services.ac[0] = { instance_name: "other", ac_store: "CAS" })))).toBe("");
  });
});

test("several problems are all reported, one line each", () => {
  const message = errorOf(
    broken((c) => {
      c.servers[0].services.cas[0].cas_store = "X";
      c.servers[1].services.worker_api.scheduler = "Y";
    }),
  );
  expect(message.split("\n")).toEqual([
    `servers[0].services.cas[0].cas_store: ${undefinedStore("X")}`,
    `servers[1].services.worker_api.scheduler: ${undefinedScheduler("Y")}`,
  ]);
});

test("the README example", () => {
  const result = safeParseConfig({
    stores: [
      { name: "cas", memory: {} },
      { name: "worker", fast_slow: { fast: { ref_store: { name: "fast" } }, slow: { ref_store: { name: "cas" } } } },
    ],
    servers: [],
  });
  expect(result.success ? [] : result.error.issues).toEqual([{ path: "stores[1].fast_slow.fast.ref_store.name", message: undefinedStore("fast") }]);
});
