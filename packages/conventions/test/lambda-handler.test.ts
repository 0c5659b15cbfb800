import * as z from "zod/mini";
import { afterEach, describe, expect, it, vi } from "vitest";
import { describeIssue, formatIssues, logJson } from "../src/lambda-handler/index.js";

describe("the Lambda handlers' support code", () => {
  afterEach(() => vi.restoreAllMocks());

  it("logs one JSON object per line, with the time first", () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (written.push(String(chunk)), true));
    logJson({ level: "info", message: "set capacity", fleet: "workers-arm64" });
    expect(written).toHaveLength(1);
    expect(written[0]!.endsWith("}\n")).toBe(true);
    expect(JSON.parse(written[0]!)).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      level: "info",
      message: "set capacity",
      fleet: "workers-arm64",
    });
  });

  it("words zod/mini's issues by what was found and expected, dotted by path", () => {
    const schema = z.object({ MODE: z.enum(["a", "b"]), TTL: z.number(), nested: z.object({ id: z.string() }) });
    const parsed = schema.safeParse({ MODE: "c", TTL: "30", nested: {} }, { error: describeIssue });
    expect(formatIssues(parsed.error!.issues, "(event)")).toEqual([
      'MODE: is "c", expected "a" or "b"',
      'TTL: is "30", expected number',
      "nested.id: is missing (expected string)",
    ]);
  });
});
