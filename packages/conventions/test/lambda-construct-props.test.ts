import { describe, expect, it } from "vitest";
import * as z from "zod";
import { lambdaConstructPropSchemas, propErrorFromIssues, wholeBetween } from "../src/lambda-construct/index.js";

const schema = z.object({ ...lambdaConstructPropSchemas, memorySizeMb: wholeBetween(128, 10_240, "must be a whole number of MB from 128 to 10240") });
const errorFor = (props: object) => {
  const parsed = schema.safeParse(props);
  if (parsed.success) throw new Error("expected the props to be refused");
  return propErrorFromIssues("Stack/Fn", props, parsed.error.issues).message;
};

describe("lambdaConstructPropSchemas", () => {
  it("fills the shared defaults: the default deployment name, 30 days of logs, no tags, no bundle path", () => {
    expect(schema.parse({ memorySizeMb: 256 })).toEqual({ name: "nativelink", logRetentionDays: 30, tags: {}, memorySizeMb: 256 });
  });

  it.each([
    [{ name: "Bad_Name", memorySizeMb: 128 }, "name"],
    [{ logRetentionDays: 31, memorySizeMb: 128 }, "one of CloudWatch's retention values: 1, 3, 5"],
    [{ tags: { "": "x" }, memorySizeMb: 128 }, "keys must be 1-128 characters"],
    [{ memorySizeMb: 128.5 }, "must be a whole number of MB from 128 to 10240"],
  ])("refuses %j, saying what to fix", (props, fix) => {
    expect(errorFor(props)).toContain(fix);
  });
});
