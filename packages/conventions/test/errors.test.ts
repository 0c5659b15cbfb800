import * as z from "zod";
import { describe, expect, it } from "vitest";
import { NativeLinkPropError } from "../src/index.js";
import { propErrorFromIssues } from "../src/lambda-construct/index.js";

describe("NativeLinkPropError", () => {
  it("carries the construct path, the prop, the value, the problem and the fix, and says them all", () => {
    const error = new NativeLinkPropError("Stack/Images", "metricsPort", "4317 is where the collector receives OTLP", "pick another port, e.g. 9464", 4317);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "NativeLinkPropError", constructPath: "Stack/Images", prop: "metricsPort", value: 4317 });
    expect(error.message).toBe("Stack/Images: invalid prop 'metricsPort': 4317 is where the collector receives OTLP. Fix: pick another port, e.g. 9464.");
    expect(error.problems).toEqual([
      { prop: "metricsPort", value: 4317, problem: "4317 is where the collector receives OTLP", fix: "pick another port, e.g. 9464" },
    ]);
  });

  it("holds several problems, one line each, and describes the first in its fields", () => {
    const error = NativeLinkPropError.of("S/A", [
      { prop: "a", value: 1, problem: "1 is too small", fix: "pass 2" },
      { prop: "b", value: "x", problem: '"x" is not a number', fix: "pass a number" },
    ]);
    expect(error).toMatchObject({ prop: "a", value: 1, fix: "pass 2" });
    expect(error.problems.map((problem) => problem.prop)).toEqual(["a", "b"]);
    expect(error.message.split("\n")).toEqual([
      "S/A: invalid prop 'a': 1 is too small. Fix: pass 2.",
      `S/A: invalid prop 'b': "x" is not a number. Fix: pass a number.`,
    ]);
  });
});

describe("propErrorFromIssues: a props schema's issues as one NativeLinkPropError", () => {
  const schema = z.object({ port: z.number().min(1024, "must be a port from 1024 to 65535"), vpc: z.object({ id: z.string("must be a VPC id") }) });

  it("names each prop with the value given, a missing one as required, and the path inside an object", () => {
    const props = { port: 80, vpc: {} };
    const parsed = schema.safeParse(props);
    const error = propErrorFromIssues("Stack/Fn", props, parsed.error!.issues);
    expect(error).toBeInstanceOf(NativeLinkPropError);
    expect(error.problems).toEqual([
      { prop: "port", value: 80, problem: "80 is refused", fix: "it must be a port from 1024 to 65535" },
      { prop: "vpc", value: {}, problem: "{} at vpc.id is refused", fix: "it must be a VPC id" },
    ]);
    const missing = propErrorFromIssues("Stack/Fn", { vpc: { id: "v" } }, schema.safeParse({ vpc: { id: "v" } }).error!.issues);
    expect(missing).toMatchObject({ prop: "port", value: undefined, problem: "it is required" });
  });
});
