import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/handler/config.js";

const valid = { SCHEDULER_ASG_NAME: "nativelink-scheduler", HOSTED_ZONE_ID: "Z0123456789ABCDEFGHIJ", RECORD_NAME: "scheduler.internal.example.com" };

describe("loadConfig", () => {
  it("reads the environment, with RECORD_TTL defaulting to 30", () => {
    expect(loadConfig(valid)).toEqual({
      schedulerAutoScalingGroupName: "nativelink-scheduler",
      hostedZoneId: "Z0123456789ABCDEFGHIJ",
      recordName: "scheduler.internal.example.com",
      recordTtlSeconds: 30,
    });
  });

  it("normalizes the zone id and the record name", () => {
    const config = loadConfig({
      ...valid,
      HOSTED_ZONE_ID: "/hostedzone/Z0123456789ABCDEFGHIJ",
      RECORD_NAME: " Scheduler.Internal.Example.com. ",
      RECORD_TTL: "60",
    });
    expect(config).toMatchObject({ hostedZoneId: "Z0123456789ABCDEFGHIJ", recordName: "scheduler.internal.example.com", recordTtlSeconds: 60 });
  });

  it("lists every missing variable at once", () => {
    expect(() => loadConfig({})).toThrow(
      [
        "Invalid dns-lambda configuration in the environment:",
        "- SCHEDULER_ASG_NAME is missing: set it to the scheduler's Auto Scaling group name",
        "- HOSTED_ZONE_ID is missing: set it to the private hosted zone's id, e.g. Z0123456789ABCDEFGHIJ",
        "- RECORD_NAME is missing: set it to the record's fully qualified name, e.g. scheduler.internal.example.com",
      ].join("\n"),
    );
  });

  it.each([
    [{ SCHEDULER_ASG_NAME: "  " }, /SCHEDULER_ASG_NAME is empty/],
    [{ HOSTED_ZONE_ID: "zone-1" }, /HOSTED_ZONE_ID is not a hosted zone id/],
    [{ RECORD_NAME: "scheduler" }, /RECORD_NAME is not a fully qualified DNS name/],
    [{ RECORD_NAME: "bad name.example.com" }, /RECORD_NAME is not a fully qualified DNS name/],
    [{ RECORD_TTL: "thirty" }, /RECORD_TTL is "thirty", not a whole number of seconds/],
    [{ RECORD_TTL: "1.5" }, /RECORD_TTL is "1.5", not a whole number of seconds/],
    [{ RECORD_TTL: "0" }, /RECORD_TTL must be at least 1 second/],
    [{ RECORD_TTL: "86401" }, /RECORD_TTL must be at most 86400 seconds/],
  ])("rejects %o", (override, message) => {
    expect(() => loadConfig({ ...valid, ...override })).toThrow(message);
  });
});
