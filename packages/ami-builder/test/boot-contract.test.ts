// The boot contract from the image's side: the role.env keys the cluster writes are defined once, in
// @nativelink-aws/conventions (ROLE_ENV_KEYS). Shell cannot import them, so this test holds the scripts to them: a key
// renamed on one side fails here instead of on a booting instance.
import { readdirSync, readFileSync } from "node:fs";
import { ROLE_ENV_KEYS, SCHEDULER_METRIC_EXPORT_INTERVAL_SECONDS } from "@nativelink-aws/conventions";
import { describe, expect, it } from "vitest";

const binDirectory = new URL("../image/bin/", import.meta.url);
const scripts = readdirSync(binDirectory).map((name) => readFileSync(new URL(name, binDirectory), "utf8"));
const keysRead = (pattern: RegExp) => new Set(scripts.flatMap((text) => [...text.matchAll(pattern)].map((match) => match[1]!)));

describe("the role.env keys", () => {
  const written = Object.values(ROLE_ENV_KEYS);
  const required = keysRead(/role_setting (NATIVELINK_[A-Z0-9_]+)/g);
  const readAtAll = new Set([...required, ...keysRead(/ROLE_SETTINGS\[(NATIVELINK_[A-Z0-9_]+)\]/g)]);

  it("that a script requires are all written by the cluster", () => {
    expect([...required].filter((key) => !(written as string[]).includes(key))).toEqual([]);
  });

  it("that the cluster writes are each read by a script", () => {
    expect(written.filter((key) => !readAtAll.has(key))).toEqual([]);
  });
});

describe("the scheduler's metric export interval", () => {
  it("is the one the autoscaler reads its feed at", () => {
    const bootstrap = readFileSync(new URL("nativelink-bootstrap", binDirectory), "utf8");
    expect([...bootstrap.matchAll(/OTEL_METRIC_EXPORT_INTERVAL=(\d+)/g)].map((match) => Number(match[1]))).toEqual([
      SCHEDULER_METRIC_EXPORT_INTERVAL_SECONDS * 1000,
    ]);
  });
});
