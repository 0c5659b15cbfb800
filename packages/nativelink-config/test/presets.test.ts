import { describe, expect, test } from "vitest";
import type { NativeLinkConfig } from "../src/index.js";
import {
  BOOT_ENV,
  BOOT_ENV_DEFAULTS,
  BOOT_ENV_ROLES,
  NativeLinkConfigError,
  SCHEDULER_PLATFORM_PROPERTIES,
  ACTION_RUNNER_PATH,
  CAS_WRITERS_PORT,
  PRESET_NAMES,
  WORKER_PLATFORM_PROPERTIES,
  bootEnvFor,
  casConfig,
  localCasProxyConfig,
  parseSizeLiteral,
  parseWholePlaceholder,
  placeholdersIn,
  renderConfig,
  schedulerConfig,
  workerConfig,
} from "../src/index.js";

/** The message of the error `make` throws. */
function failure(make: () => unknown): string {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(NativeLinkConfigError);
    return (error as Error).message;
  }
  throw new Error("expected an error");
}

/** Every environment variable a rendered configuration reads. */
function envNames(config: NativeLinkConfig): string[] {
  return [...new Set(placeholdersIn(renderConfig(config).replace(/^\/\/.*$/gm, "")).map((p) => p.name))].sort();
}

describe("misconfigured options name the option and the fix", () => {
  test.each([
    [() => casConfig({ port: 0 }), "casConfig.port: a TCP port is between 1 and 65535"],
    [
      () => casConfig({ bucket: "My_Bucket" }),
      'casConfig.bucket: "My_Bucket" is not an S3 bucket name (3-63 characters: a-z, 0-9, "." and "-", ' +
        "starting and ending with a letter or digit); pass the bucket's name or a placeholder such as ${NATIVELINK_BUCKET}",
    ],
    [
      () => casConfig({ region: "us-west" }),
      'casConfig.region: "us-west" is not an AWS region; write e.g. "us-west-2", or a placeholder such as ${NATIVELINK_REGION:-us-west-2}',
    ],
    [
      () => casConfig({ region: "${R:-west}" }),
      'casConfig.region: the placeholder default "west" is not an AWS region; write e.g. "us-west-2", or a placeholder such as ${NATIVELINK_REGION:-us-west-2}',
    ],
    [
      () => casConfig({ casKeyPrefix: "cas" }),
      'casConfig.casKeyPrefix: a key prefix is one or more path segments ending in "/", e.g. "cas/" (NativeLink does not expand placeholders here)',
    ],
    [
      () => casConfig({ acKeyPrefix: "cas/ac/" }),
      'casConfig.acKeyPrefix: "cas/ac/" overlaps casKeyPrefix "cas/"; give the action cache a prefix of its own, e.g. "ac/"',
    ],
    [() => casConfig({ considerExpiredAfterSeconds: -1 }), "casConfig.considerExpiredAfterSeconds: expected 0 or more seconds"],
    [() => casConfig({ healthPath: "status" }), 'casConfig.healthPath: an HTTP path starting with "/", e.g. "/status"'],
    [
      () => casConfig({ listenAddress: "localhost" }),
      'casConfig.listenAddress: expected an IPv4 address such as "0.0.0.0" or a bracketed IPv6 address such as "[::]"',
    ],
    [
      () => casConfig({ instanceName: "main instance" }),
      'casConfig.instanceName: an instance name uses letters, digits, "_", ".", "/" and "-" (Bazel: --remote_instance_name)',
    ],
    [
      () => casConfig({ prot: 1 } as never),
      'casConfig.prot: unknown option "prot" (did you mean "port"?); allowed: region, bucket, casKeyPrefix, ' +
        "acKeyPrefix, considerExpiredAfterSeconds, instanceName, listenAddress, port, healthPath, writerPort",
    ],
    [() => casConfig({ writerPort: 50051 }), "casConfig.writerPort: equals port 50051; the writers' listener needs a port of its own (e.g. 50071)"],
    [() => casConfig({ writerPort: 70000 }), "casConfig.writerPort: a TCP port is between 1 and 65535"],
    [
      () => localCasProxyConfig({ region: "us-west-2", bucket: "b-1", writableActionCache: "yes" as never }),
      "localCasProxyConfig.writableActionCache: expected true or false",
    ],
    [
      () => schedulerConfig({ workerApiPort: 50052 }),
      "schedulerConfig.workerApiPort: equals port 50052; the worker API needs its own private port (e.g. 50061)",
    ],
    [
      () => workerConfig({ mountPath: "mnt/nativelink/" }),
      'workerConfig.mountPath: an absolute directory without a trailing "/", spaces or placeholders, e.g. "/mnt/nativelink"',
    ],
    [
      () => workerConfig({ schedulerHost: "grpc://scheduler:50061" }),
      'workerConfig.schedulerHost: "grpc://scheduler:50061" is not a host name or IPv4 address; write e.g. ' +
        '"scheduler.internal.example.com", or a placeholder such as ${NATIVELINK_SCHEDULER_HOST:-127.0.0.1}',
    ],
    [() => workerConfig({ maxActionTimeoutSeconds: 0 }), "workerConfig.maxActionTimeoutSeconds: an action needs at least 1 second"],
    [
      () => workerConfig({ actionRunner: "nativelink-run-action" }),
      "workerConfig.actionRunner: expected an absolute path without spaces or placeholders, e.g. " +
        '"/usr/local/bin/nativelink-run-action" (NativeLink does not split it into arguments), or false for no entrypoint',
    ],
    [
      () => workerConfig({ actionRunner: "/usr/bin/setpriv --reuid=1000" }),
      "workerConfig.actionRunner: expected an absolute path without spaces or placeholders, e.g. " +
        '"/usr/local/bin/nativelink-run-action" (NativeLink does not split it into arguments), or false for no entrypoint',
    ],
    [
      () => workerConfig({ actionRunner: true as never }),
      "workerConfig.actionRunner: expected an absolute path without spaces or placeholders, e.g. " +
        '"/usr/local/bin/nativelink-run-action" (NativeLink does not split it into arguments), or false for no entrypoint',
    ],
    [() => localCasProxyConfig({ region: "us-west-2" } as never), "localCasProxyConfig.bucket: required field is missing (expected string)"],
    [
      () => localCasProxyConfig({ region: "us-west-2", bucket: "b-1", cacheMaxBytes: "lots" }),
      'localCasProxyConfig.cacheMaxBytes: "lots" is not a size: write an integer number of bytes, or digits with an optional unit: ' +
        'B, KB, KiB, MB, MiB, GB, GiB, TB, TiB, PB, PiB, EB, EiB (case-insensitive, e.g. "10gb", "1.5GiB")',
    ],
    [
      () => localCasProxyConfig({ region: "us-west-2", bucket: "b-1", cacheDir: "~/.cache/nl" }),
      'localCasProxyConfig.cacheDir: an absolute directory without a trailing "/", spaces or placeholders, e.g. "/mnt/nativelink"',
    ],
  ])("%#", (make, message) => {
    expect(failure(make)).toBe(message);
  });
});

describe("BOOT_ENV", () => {
  test("each preset reads exactly the variables its role is documented to", () => {
    expect(envNames(casConfig())).toEqual(bootEnvFor("cas").sort());
    expect(envNames(schedulerConfig())).toEqual(bootEnvFor("scheduler").sort());
    expect(envNames(workerConfig())).toEqual(bootEnvFor("worker").sort());
  });

  test("every variable has a default, and sizes default to valid sizes", () => {
    expect(Object.keys(BOOT_ENV_DEFAULTS).sort()).toEqual(Object.keys(BOOT_ENV).sort());
    expect(Object.keys(BOOT_ENV_ROLES).sort()).toEqual(Object.keys(BOOT_ENV).sort());
    for (const key of ["casContentMemoryBytes", "acMemoryBytes", "workerCacheBytes"] as const) {
      expect(parseSizeLiteral(BOOT_ENV_DEFAULTS[key]).ok).toBe(true);
    }
  });

  test("every placeholder a preset writes carries its default", () => {
    for (const config of [casConfig(), schedulerConfig(), workerConfig()]) {
      for (const found of placeholdersIn(renderConfig(config))) expect(found.fallback).toBeDefined();
    }
  });

  test("names are NATIVELINK_ variables, unique", () => {
    const names = Object.values(BOOT_ENV);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^NATIVELINK_[A-Z_]+$/);
  });
});

describe("presets keep the original topology", () => {
  test("options reach the configuration", () => {
    const config = workerConfig({
      schedulerHost: "scheduler.internal.example.com",
      workerApiPort: 6000,
      mountPath: "/nvme",
      bucket: "b-1",
      region: "eu-west-1",
      considerExpiredAfterSeconds: 86_400,
    });
    const local = config.workers![0]!.local;
    expect(local.worker_api_endpoint.uri).toBe("grpc://scheduler.internal.example.com:6000");
    expect(local.work_directory).toBe("/nvme/work");
    const cas = config.stores.find((store) => store.name === local.cas_fast_slow_store)!;
    expect(cas).toMatchObject({
      fast_slow: {
        fast: { filesystem: { content_path: "/nvme/content_path-cas", temp_path: "/nvme/tmp_path-cas" } },
        slow: { experimental_cloud_object_store: { bucket: "b-1", region: "eu-west-1", key_prefix: "cas/", consider_expired_after_s: 86_400 } },
      },
    });
  });

  test("consider_expired_after_s can differ per store, to stay below each bucket expiration rule", () => {
    for (const config of [
      casConfig({ considerExpiredAfterSeconds: { cas: 2_505_600, ac: 1_123_200 } }),
      workerConfig({ considerExpiredAfterSeconds: { cas: 2_505_600, ac: 1_123_200 } }),
    ]) {
      const s3 = JSON.stringify(config.stores);
      expect(s3).toContain('"key_prefix":"cas/","retry":{"max_retries":6,"delay":0.3,"jitter":0.5},"consider_expired_after_s":2505600');
      expect(s3).toContain('"key_prefix":"ac/","retry":{"max_retries":6,"delay":0.3,"jitter":0.5},"consider_expired_after_s":1123200');
    }
    expect(() => casConfig({ considerExpiredAfterSeconds: { cas: 1 } as never })).toThrow(/casConfig\.considerExpiredAfterSeconds/);
  });

  test("the scheduler matches every property the worker reports", () => {
    expect(Object.keys(SCHEDULER_PLATFORM_PROPERTIES).sort()).toEqual(Object.keys(WORKER_PLATFORM_PROPERTIES).sort());
    expect(schedulerConfig().schedulers![0]!.simple.supported_platform_properties).toEqual(SCHEDULER_PLATFORM_PROPERTIES);
  });

  test("worker commands use absolute paths", () => {
    for (const property of Object.values(WORKER_PLATFORM_PROPERTIES)) {
      if ("query_cmd" in property) expect(property.query_cmd).toMatch(/^\/usr\/bin\//);
    }
  });

  test("ports: CAS 50051 public and 50071 for writers, scheduler 50052 public and 50061 private", () => {
    expect(casConfig().servers.map((s) => s.listener.http.socket_address)).toEqual(["0.0.0.0:50051", "0.0.0.0:50071"]);
    const scheduler = schedulerConfig().servers;
    expect(scheduler.map((s) => s.listener.http.socket_address)).toEqual(["0.0.0.0:50052", "0.0.0.0:50061"]);
    expect(Object.keys(scheduler[1]!.services).sort()).toEqual(["admin", "health", "worker_api"]);
    expect(localCasProxyConfig({ region: "us-west-2", bucket: "b-1" }).servers[0]!.listener.http.socket_address).toBe("127.0.0.1:50051");
  });

  test("the bucket fallback can never name a real bucket", () => {
    expect(parseWholePlaceholder("${NATIVELINK_BUCKET:-" + BOOT_ENV_DEFAULTS.bucket + "}")?.fallback).toContain(":");
  });
});

describe("cache readers and writers are separated", () => {
  const acOf = (config: NativeLinkConfig, server: string) => config.servers.find((s) => s.name === server)?.services.ac;

  test("CAS: the public listener's action cache is read-only, the writers' listener's is writable", () => {
    const config = casConfig({ port: 6000, writerPort: 6001 });
    expect(config.servers.map((s) => [s.name, s.listener.http.socket_address])).toEqual([
      ["public", "0.0.0.0:6000"],
      ["writers", "0.0.0.0:6001"],
    ]);
    expect(acOf(config, "public")).toEqual([{ instance_name: "main", ac_store: PRESET_NAMES.acStore, read_only: true }]);
    expect(acOf(config, "writers")).toEqual([{ instance_name: "main", ac_store: PRESET_NAMES.acStore, read_only: false }]);
  });

  test("CAS: both listeners serve the same services and stores; the writers' answers GetCapabilities and health for the load balancer", () => {
    const [publicServer, writers] = casConfig().servers;
    const withoutAc = (services: object) => ({ ...services, ac: undefined });
    expect(withoutAc(writers!.services)).toEqual(withoutAc(publicServer!.services));
    expect(Object.keys(writers!.services).sort()).toEqual(["ac", "bytestream", "capabilities", "cas", "health"]);
    expect(CAS_WRITERS_PORT).toBe(50071);
  });

  test("scheduler: its public action cache is read-only (workers write results straight to the bucket)", () => {
    expect(acOf(schedulerConfig(), "public")).toEqual([{ instance_name: "main", ac_store: PRESET_NAMES.acStore, read_only: true }]);
    expect(workerConfig().workers![0]!.local.upload_action_result).toEqual({ ac_store: PRESET_NAMES.acStore });
  });

  test("local CAS proxy: read-only action cache unless writableActionCache", () => {
    const options = { region: "us-west-2", bucket: "b-1" };
    expect(acOf(localCasProxyConfig(options), "local")![0]!.read_only).toBe(true);
    expect(acOf(localCasProxyConfig({ ...options, writableActionCache: true }), "local")![0]!.read_only).toBe(false);
  });
});

describe("actions run through the image's wrapper", () => {
  test("the worker's entrypoint is nativelink-run-action by default, another absolute path, or none", () => {
    expect(workerConfig().workers![0]!.local.entrypoint).toBe("/usr/local/bin/nativelink-run-action");
    expect(ACTION_RUNNER_PATH).toBe("/usr/local/bin/nativelink-run-action");
    expect(workerConfig({ actionRunner: "/opt/run" }).workers![0]!.local.entrypoint).toBe("/opt/run");
    expect(workerConfig({ actionRunner: false }).workers![0]!.local).not.toHaveProperty("entrypoint");
  });
});
