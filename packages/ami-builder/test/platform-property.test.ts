import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WORKER_PLATFORM_PROPERTIES } from "@nativelink-aws/nativelink-config";
import { describe, expect, it } from "vitest";
import { PLATFORM_PROPERTY } from "./helpers/instance.js";

/** As NativeLink runs a `query_cmd`: no shell, an empty environment. */
function query(args: readonly string[], env: Record<string, string> = {}) {
  const result = spawnSync(PLATFORM_PROPERTY, [...args], { env, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const HELPER_PROPERTIES = ["cpu_count", "memory_kb", "cpu_arch", "kernel_version"] as const;

describe("nativelink-platform-property", () => {
  it.each(HELPER_PROPERTIES)("prints %s in an empty environment, the same value as the worker preset's query_cmd", (name) => {
    const helper = query([name]);
    expect(helper.code, helper.stderr).toBe(0);
    const preset = WORKER_PLATFORM_PROPERTIES[name];
    if (!preset || !("query_cmd" in preset)) throw new Error(`the worker preset has no query_cmd for ${name}`);
    // The preset's commands use no shell syntax beyond quoting; sh -c splits them as shlex does.
    const expected = spawnSync("/bin/sh", ["-c", preset.query_cmd], { env: {}, encoding: "utf8" });
    expect(expected.status, expected.stderr).toBe(0);
    expect(helper.stdout).toBe(expected.stdout);
    expect(helper.stdout).toMatch(/^\S+\n$/);
  });

  it("computes memory_kb as 80% of MemTotal", () => {
    const root = mkdtempSync(join(tmpdir(), "nativelink-property-"));
    try {
      mkdirSync(join(root, "proc"));
      writeFileSync(join(root, "proc/meminfo"), "MemTotal:       16000001 kB\nMemFree:        1 kB\n");
      expect(query(["memory_kb"], { NATIVELINK_ROOT: root }).stdout).toBe("12800001\n");
      writeFileSync(join(root, "proc/meminfo"), "MemFree:        1 kB\n");
      const missing = query(["memory_kb"], { NATIVELINK_ROOT: root });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/cannot read MemTotal/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("rejects an unknown property, listing the known ones", () => {
    const result = query(["gpu_count"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/one of: cpu_count cpu_arch memory_kb kernel_version/);
  });
});
