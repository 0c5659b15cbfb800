// The construct's props and the Lambda's environment take the policy's settings by the same rules: a value one
// side accepts, the other does too, and one it refuses, the other refuses with the same expectation.
import { describe, expect, it } from "vitest";
import { resolveProps } from "../src/construct/resolve-props.js";
import { loadConfig } from "../src/handler/config.js";

const props = {
  vpcId: "vpc-0123456789abcdef0",
  vpcCidrBlock: "10.0.0.0/16",
  subnetIds: ["subnet-0123456789abcdef0"],
  schedulerSecurityGroupId: "sg-0123456789abcdef0",
  feedUrl: "http://scheduler.internal.example.com:9464/metrics",
  fleets: {
    x86_64: {
      groupName: "nativelink-workers-x86_64",
      groupArn:
        "arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:0a1b2c3d-0000-4000-8000-000000000000:autoScalingGroupName/nativelink-workers-x86_64",
    },
  },
};
const environment = { DEPLOYMENT_NAME: "nativelink", FEED_URL: props.feedUrl, X86_64_GROUP_NAME: "nativelink-workers-x86_64" };

const cases: [setting: string, variable: string, accepted: number[], refused: number[], expected: string][] = [
  ["unitsPerAction", "UNITS_PER_ACTION", [0.01, 2.5, 1024], [0, 1025], "a number from 0.01 to 1024"],
  ["scaleInAfterSeconds", "SCALE_IN_AFTER_SECONDS", [60, 86_400], [59, 60.5, 86_401], "a whole number from 60 to 86400"],
  ["quickScaleInAfterSeconds", "QUICK_SCALE_IN_AFTER_SECONDS", [60, 180], [59.5, 30], "a whole number from 60 to 86400"],
  ["quickScaleInFraction", "QUICK_SCALE_IN_FRACTION", [0, 0.5, 1], [-0.1, 1.5], "a number from 0 to 1 (0: off)"],
  ["bootSeconds", "BOOT_SECONDS", [0, 3600], [-1, 3601, 1.5], "a whole number from 0 to 3600 (launch to a registered worker)"],
  ["rateWindowSeconds", "RATE_WINDOW_SECONDS", [60, 3600], [59, 3601], "a whole number from 60 to 3600"],
];

describe("the policy settings' one set of rules", () => {
  it.each(cases)("%s / %s", (setting, variable, accepted, refused, expected) => {
    for (const value of accepted) {
      expect(resolveProps("stack/autoscaler", { ...props, [setting]: value })).toMatchObject({ [setting]: value });
      expect(loadConfig({ ...environment, [variable]: String(value) }).policy).toMatchObject({ [setting]: value });
    }
    for (const value of refused) {
      expect(() => resolveProps("stack/autoscaler", { ...props, [setting]: value })).toThrow(
        `invalid prop '${setting}': ${value} is refused. Fix: it must be ${expected}`,
      );
      expect(() => loadConfig({ ...environment, [variable]: String(value) })).toThrow(`${variable} is "${value}": expected ${expected}`);
    }
  });

  it("both refuse a quick scale-in period longer than the full one, naming the other setting their way", () => {
    expect(() => resolveProps("stack/autoscaler", { ...props, scaleInAfterSeconds: 120, quickScaleInAfterSeconds: 121 })).toThrow(
      "invalid prop 'quickScaleInAfterSeconds': 121 is refused. Fix: it must not be longer than scaleInAfterSeconds (120)",
    );
    expect(() => loadConfig({ ...environment, SCALE_IN_AFTER_SECONDS: "120", QUICK_SCALE_IN_AFTER_SECONDS: "121" })).toThrow(
      "QUICK_SCALE_IN_AFTER_SECONDS must not be longer than SCALE_IN_AFTER_SECONDS (120)",
    );
  });
});
