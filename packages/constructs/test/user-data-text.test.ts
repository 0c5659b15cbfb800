// userDataText reads user data the way the completeness rules need it; cross-checked with the strict evaluator.
import { describe, expect, it } from "vitest";
import { roleEnvValue, userDataText } from "../src/checks/user-data-text.js";
import { resources, synthCluster } from "./synth-helpers.js";
import { evaluateBase64Template } from "./terraform-string.js";

const REFERENCE = /\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+\.[a-z0-9_]+)\}/g;

describe("userDataText", () => {
  it("reads every fleet's user data as the instance receives it, references kept as ${…}", () => {
    for (const template of Object.values(resources(synthCluster(), "aws_launch_template"))) {
      const text = userDataText(template.user_data)!;
      expect(text.replace(REFERENCE, "<$1>")).toBe(evaluateBase64Template(String(template.user_data)));
      // NativeLink's own placeholders reach the instance verbatim.
      expect(text).toContain("${NATIVELINK_");
    }
  });

  it("decodes literal base64 and returns plain text as it is", () => {
    expect(userDataText(Buffer.from("#!/bin/sh\nA=1\n").toString("base64"))).toBe("#!/bin/sh\nA=1\n");
    expect(userDataText("#!/bin/sh\nA=1\n")).toBe("#!/bin/sh\nA=1\n");
    expect(userDataText(undefined)).toBeUndefined();
    expect(userDataText("")).toBeUndefined();
  });

  it("parses the expressions cdktf writes", () => {
    expect(userDataText('${base64encode("x=${var.a}\\n$${LITERAL}\\"q\\" %%{d}")}')).toBe('x=${var.a}\n${LITERAL}"q" %{d}');
    expect(userDataText('${base64encode(join("-", ["a", var.b, tolist(aws_x.y.z)[0], "c"]))}')).toBe("a-${var.b}-${tolist(aws_x.y.z)[0]}-c");
    expect(userDataText('${base64encode(file("boot.sh"))}')).toBe('${file("boot.sh")}');
    expect(userDataText("${var.user_data}")).toBe("${var.user_data}");
    expect(userDataText('${base64encode("\\u00e9")}')).toBe("é");
  });

  it("finds role.env values on lines of their own", () => {
    expect(roleEnvValue("A=1\nNATIVELINK_SCHEDULER_HOST=s.internal.x\nB=2", "NATIVELINK_SCHEDULER_HOST")).toBe("s.internal.x");
    expect(roleEnvValue("# NATIVELINK_SCHEDULER_HOST=no", "NATIVELINK_SCHEDULER_HOST")).toBeUndefined();
    expect(roleEnvValue(undefined, "X")).toBeUndefined();
  });
});
