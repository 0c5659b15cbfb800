import { parseConfigText } from "@nativelink-aws/nativelink-config";
import { describe, expect, it } from "vitest";
import { resources, synthCluster, type Synthesized } from "./synth-helpers.js";
import { evaluateBase64Template } from "./terraform-string.js";

const DAY = 86_400;

/** Lifecycle expiration days by prefix, of the bucket tagged `kind`. */
function expirations(synth: Synthesized, kind: "cas" | "access-logs"): Record<string, number> {
  const [bucketId] = Object.entries(resources(synth, "aws_s3_bucket")).find(
    ([, bucket]) => (bucket.tags as Record<string, string>)["nativelink:bucket"] === kind,
  )!;
  const lifecycle = Object.values(resources(synth, "aws_s3_bucket_lifecycle_configuration")).find((l) => l.bucket === `\${aws_s3_bucket.${bucketId}.id}`)!;
  const rules = lifecycle.rule as { filter: { prefix: string }[]; expiration?: { days: number }[] }[];
  return Object.fromEntries(rules.filter((rule) => rule.expiration).map((rule) => [rule.filter[0]!.prefix, rule.expiration![0]!.days]));
}

/** consider_expired_after_s of every S3 store, by role and key prefix, read from the decoded user data. */
function consideredExpired(synth: Synthesized): Record<string, Record<string, number>> {
  const byRole: Record<string, Record<string, number>> = {};
  for (const template of Object.values(resources(synth, "aws_launch_template"))) {
    const script = evaluateBase64Template(String(template.user_data));
    const text = /<<'NATIVELINK_CONFIG_EOF'\n([\s\S]*?)\nNATIVELINK_CONFIG_EOF/.exec(script)![1]!;
    const stores = JSON.stringify(parseConfigText(text).stores);
    byRole[String(template.name)] = Object.fromEntries(
      [...stores.matchAll(/"key_prefix":"([^"]+)","retry":\{[^}]*\},"consider_expired_after_s":(\d+)/g)].map((m) => [m[1], Number(m[2])]),
    );
  }
  return byRole;
}

describe("cache eviction", () => {
  it("expires the action cache before the CAS, and NativeLink reports objects missing a day before deletion, in every role", () => {
    const synth = synthCluster();
    expect(expirations(synth, "cas")).toEqual({ "ac/": 14, "cas/": 30 });
    const roles = consideredExpired(synth);
    expect(Object.keys(roles).sort()).toEqual(["nativelink-cas", "nativelink-scheduler", "nativelink-workers-arm64", "nativelink-workers-x86_64"]);
    for (const stores of Object.values(roles)) {
      expect(stores).toEqual({ "ac/": 13 * DAY, "cas/": 29 * DAY });
    }
  });

  it("keeps aborting incomplete multipart uploads, and expires access logs after 90 days", () => {
    const synth = synthCluster();
    expect(expirations(synth, "access-logs")).toEqual({ "alb/": 90 });
    for (const lifecycle of Object.values(resources(synth, "aws_s3_bucket_lifecycle_configuration"))) {
      expect(lifecycle.rule).toContainEqual(expect.objectContaining({ abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }] }));
    }
  });

  it("follows custom ages and prefixes", () => {
    const synth = synthCluster({
      cacheExpiration: { actionCacheDays: 7, casDays: 60, reportMissingDaysBefore: 2 },
      casKeyPrefix: "blobs/",
      acKeyPrefix: "results/",
    });
    expect(expirations(synth, "cas")).toEqual({ "results/": 7, "blobs/": 60 });
    expect(consideredExpired(synth)["nativelink-scheduler"]).toEqual({ "results/": 5 * DAY, "blobs/": 58 * DAY });
  });

  it("can keep everything forever, as the original did", () => {
    const synth = synthCluster({ cacheExpiration: false });
    expect(expirations(synth, "cas")).toEqual({});
    expect(consideredExpired(synth)["nativelink-cas"]).toEqual({ "ac/": 0, "cas/": 0 });
  });

  it.each([
    [
      { actionCacheDays: 30, casDays: 30 },
      "test/Cluster: invalid prop 'cacheExpiration.actionCacheDays': 30 days is not shorter than casDays (30). " +
        "Fix: expire the action cache before the CAS, so no cached result names deleted blobs.",
    ],
    [
      { actionCacheDays: 2, reportMissingDaysBefore: 2 },
      "test/Cluster: invalid prop 'cacheExpiration.reportMissingDaysBefore': 2 days leaves no " +
        "time before the action cache expires (2 days). Fix: make it shorter than actionCacheDays.",
    ],
    [{ casDays: 0.5 }, "test/Cluster: invalid prop 'cacheExpiration.casDays': 0.5 is not a whole number of days ≥ 1. Fix: give whole days."],
  ])("refuses a misaligned pair %j", (cacheExpiration, message) => {
    expect(() => synthCluster({ cacheExpiration })).toThrow(message);
  });
});
