/** Each rule the schema enforces, broken once, with the exact message. */
import { describe, expect, test } from "vitest";
import { NativeLinkConfigError, parseConfig } from "../src/index.js";
import { broken, errorOf } from "./fixtures.js";

describe("unknown fields are rejected, like NativeLink's deny_unknown_fields", () => {
  test("a misspelt field, with a suggestion", () => {
    expect(errorOf(broken((c) => (c.stores[1].memory.eviction_policy = { max_byte: 1 })))).toBe(
      'stores[1].memory.eviction_policy.max_byte: unknown field "max_byte" (did you mean "max_bytes"?); ' +
        "NativeLink v1.6.6 rejects unknown fields. Allowed here: max_bytes, evict_bytes, max_seconds, max_count",
    );
  });

  test("a pre-1.6 time field name points at its _s rename", () => {
    expect(errorOf(broken((c) => (c.workers[0].local.max_action_timeout = 60)))).toContain(
      'workers[0].local.max_action_timeout: unknown field "max_action_timeout" (did you mean "max_action_timeout_s"?)',
    );
  });

  test("the removed experimental_s3_store kind", () => {
    expect(errorOf(broken((c) => (c.stores[1] = { name: "AC", experimental_s3_store: {} })))).toBe(
      'stores[1].experimental_s3_store: unknown field "experimental_s3_store"; NativeLink v1.6.6 ' +
        "rejects unknown fields. Allowed here: name, memory, filesystem, experimental_cloud_object_store, " +
        "fast_slow, verify, dedup, compression, existence_cache, size_partitioning, grpc, ref_store, noop",
    );
  });

  test("noop takes no fields", () => {
    expect(errorOf(broken((c) => (c.stores[1] = { name: "AC", noop: { x: 1 } })))).toBe(
      'stores[1].noop.x: unknown field "x"; NativeLink v1.6.6 rejects unknown fields. Allowed here: ',
    );
  });
});

describe("a store has exactly one kind", () => {
  test("none", () => {
    expect(errorOf(broken((c) => (c.stores[1] = { name: "AC" })))).toBe(
      "stores[1]: missing the store kind: add exactly one of memory, filesystem, experimental_cloud_object_store, " +
        "fast_slow, verify, dedup, compression, existence_cache, size_partitioning, grpc, ref_store, noop",
    );
  });

  test("two", () => {
    expect(errorOf(broken((c) => (c.stores[1].noop = {})))).toBe("stores[1]: a store has exactly one kind, found memory and noop; keep one");
  });

  test("a platform property is values or query_cmd, not both", () => {
    expect(errorOf(broken((c) => (c.workers[0].local.platform_properties.OSFamily.query_cmd = "/bin/true")))).toBe(
      "workers[0].local.platform_properties.OSFamily: a platform property has exactly one kind, found values and query_cmd; keep one",
    );
  });
});

describe("object stores", () => {
  test('provider "aws" only', () => {
    expect(errorOf(broken((c) => (c.stores[0].fast_slow.slow.experimental_cloud_object_store.provider = "gcs")))).toBe(
      'stores[0].fast_slow.slow.experimental_cloud_object_store.provider: this package supports provider "aws" only',
    );
  });

  test("bucket must not be empty", () => {
    expect(errorOf(broken((c) => (c.stores[0].fast_slow.slow.experimental_cloud_object_store.bucket = "")))).toBe(
      "stores[0].fast_slow.slow.experimental_cloud_object_store.bucket: bucket must not be empty",
    );
  });
});

describe("sizes", () => {
  const withMaxBytes = (value: unknown) => broken((c) => (c.stores[1].memory.eviction_policy.max_bytes = value));
  const path = "stores[1].memory.eviction_policy.max_bytes";

  test.each([
    [0, ""],
    ["10gb", ""],
    ["1.5 GiB", ""],
    ["${MEM:-512mb}", ""],
    ["${MEM}", ""],
    [
      "10 gigs",
      `${path}: "10 gigs" is not a size: unknown unit "gigs"; write an integer number of bytes, or digits with an optional unit: ` +
        `B, KB, KiB, MB, MiB, GB, GiB, TB, TiB, PB, PiB, EB, EiB (case-insensitive, e.g. "10gb", "1.5GiB")`,
    ],
    [
      "${MEM:-lots}",
      `${path}: placeholder default is not a valid size: "lots" is not a size: write an integer number of bytes, ` +
        `or digits with an optional unit: B, KB, KiB, MB, MiB, GB, GiB, TB, TiB, PB, PiB, EB, EiB (case-insensitive, e.g. "10gb", "1.5GiB")`,
    ],
    ["${MEM}gb", `${path}: a size is either a literal or exactly one \${NAME:-default} placeholder`],
    ["${MEM:-1gb", `${path}: a size is either a literal or exactly one \${NAME:-default} placeholder`],
    [-1, `${path}: -1 is not a non-negative integer`],
    [1.5, `${path}: 1.5 is not a non-negative integer`],
    [
      true,
      `${path}: expected a size: an integer number of bytes, or digits with an optional unit: B, ` +
        `KB, KiB, MB, MiB, GB, GiB, TB, TiB, PB, PiB, EB, EiB (case-insensitive, e.g. "10gb", "1.5GiB")`,
    ],
  ])("%j", (value, message) => {
    expect(errorOf(withMaxBytes(value))).toBe(message);
  });

  test("a u32 field rejects sizes above 4 GiB", () => {
    expect(errorOf(broken((c) => (c.stores[2].fast_slow.fast.filesystem.read_buffer_size = "5gb")))).toBe(
      "stores[2].fast_slow.fast.filesystem.read_buffer_size: 5000000000 bytes exceeds this field's maximum of 4294967295",
    );
  });
});

describe("durations, integers and booleans", () => {
  test("a duration string needs a unit", () => {
    expect(errorOf(broken((c) => (c.schedulers[0].simple.worker_timeout_s = "30")))).toBe(
      'schedulers[0].simple.worker_timeout_s: "30" is not a duration: write an integer number of seconds, ' +
        'or spans like "30s", "5m", "1h 30m" (units ns, us, ms, s, m, h, d, w, M, y and their long forms)',
    );
  });

  test("a duration placeholder's default must be a duration", () => {
    expect(errorOf(broken((c) => (c.schedulers[0].simple.worker_timeout_s = "${T:-soon}")))).toBe(
      'schedulers[0].simple.worker_timeout_s: placeholder default is not a valid duration: "soon" is not a duration: ' +
        'write an integer number of seconds, or spans like "30s", "5m", "1h 30m" (units ns, us, ms, s, m, h, d, w, M, y and their long forms)',
    );
  });

  test("an integer string must be digits", () => {
    expect(errorOf(broken((c) => (c.schedulers[0].simple.max_job_retries = "three")))).toBe('schedulers[0].simple.max_job_retries: "three" is not an integer');
  });

  test("a boolean string must be true or false", () => {
    expect(errorOf(broken((c) => (c.stores[0] = { name: "CAS", verify: { backend: { noop: {} }, verify_hash: "yes" } })))).toBe(
      'stores[0].verify.verify_hash: "yes" is not "true" or "false"',
    );
  });

  test("global.max_open_files must exceed 10", () => {
    expect(errorOf(broken((c) => (c.global = { max_open_files: 10 })))).toBe("global.max_open_files: max_open_files must be greater than 10");
  });
});

describe("placeholders only where NativeLink expands them", () => {
  test("key_prefix is not expanded", () => {
    expect(errorOf(broken((c) => (c.stores[0].fast_slow.slow.experimental_cloud_object_store.key_prefix = "${PREFIX:-cas/}")))).toBe(
      "stores[0].fast_slow.slow.experimental_cloud_object_store.key_prefix: " +
        "NativeLink does not expand ${...} placeholders in this field; write the literal value",
    );
  });

  test("instance_name is not expanded", () => {
    expect(errorOf(broken((c) => (c.servers[0].services.cas[0].instance_name = "${INSTANCE}")))).toBe(
      "servers[0].services.cas[0].instance_name: NativeLink does not expand ${...} placeholders in this field; write the literal value",
    );
  });

  test("query_cmd is not expanded", () => {
    expect(errorOf(broken((c) => (c.workers[0].local.platform_properties.cpu_count = { query_cmd: "${NPROC}" })))).toBe(
      "workers[0].local.platform_properties.cpu_count.query_cmd: NativeLink does not expand ${...} placeholders in this field; write the literal value",
    );
  });

  test("an expanded field must hold well-formed placeholders", () => {
    expect(errorOf(broken((c) => (c.stores[2].fast_slow.fast.filesystem.content_path = "${DATA_DIR/content")))).toBe(
      'stores[2].fast_slow.fast.filesystem.content_path: unclosed "${" at offset 0; write ${NAME} or ${NAME:-default} (or $$ for a literal $)',
    );
    expect(errorOf(broken((c) => (c.workers[0].local.worker_api_endpoint.uri = "grpc://${SCHEDULER HOST}:50061")))).toBe(
      'workers[0].local.worker_api_endpoint.uri: malformed placeholder "${SCHEDULER HOST}"; write ${NAME} or ${NAME:-default} (or $$ for a literal $)',
    );
  });

  test("store references must be literal so they can be checked", () => {
    expect(errorOf(broken((c) => (c.servers[0].services.cas[0].cas_store = "${CAS_STORE:-CAS}")))).toBe(
      "servers[0].services.cas[0].cas_store: write the store name literally (no placeholders) so the reference can be checked before deployment",
    );
  });
});

describe("shape", () => {
  test("required fields", () => {
    expect(errorOf({ stores: [] })).toBe("servers: required field is missing (expected array)");
    expect(errorOf(broken((c) => delete c.servers[1].services))).toBe("servers[1].services: required field is missing (expected object)");
  });

  test("services use the list form, not the pre-0.7 map form", () => {
    expect(errorOf(broken((c) => (c.servers[0].services.cas = { main: { cas_store: "CAS" } })))).toBe(
      "servers[0].services.cas: Invalid input: expected array, received object",
    );
  });

  test("names with odd characters are quoted in paths", () => {
    expect(errorOf(broken((c) => (c.workers[0].local.platform_properties["container-image"] = { values: [1] })))).toBe(
      'workers[0].local.platform_properties["container-image"].values[0]: Invalid input: expected string, received number',
    );
  });

  test("the error lists every issue and exposes them", () => {
    const input = broken((c) => {
      c.stores[1].memory.eviction_policy.max_bytes = "lots";
      c.schedulers[0].simple.max_job_retries = "three";
    });
    let error: unknown;
    try {
      parseConfig(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(NativeLinkConfigError);
    const issues = (error as NativeLinkConfigError).issues;
    expect(issues.map((issue) => issue.path)).toEqual(["stores[1].memory.eviction_policy.max_bytes", "schedulers[0].simple.max_job_retries"]);
    expect((error as Error).message).toBe(issues.map((issue) => `${issue.path}: ${issue.message}`).join("\n"));
    expect((error as Error).name).toBe("NativeLinkConfigError");
  });
});
