import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { imageFile } from "../src/image-files.js";
import { YamlPlain, toYaml } from "../src/yaml.js";

describe("toYaml", () => {
  it("writes maps, lists, scalars and multi-line strings that a YAML parser reads back unchanged", () => {
    const document = {
      name: "x",
      "key with: colon": "value: with colon # and hash",
      quoted: 'it\'s "quoted" \\ and ${HOME} and {single}',
      number: 42,
      flag: true,
      empty: "",
      steps: [
        { name: "One", inputs: { commands: ["echo one\nif true; then\n  echo indented\nfi\n"] } },
        { name: "Two", inputs: { commands: ["no newline at end\nsecond line"] } },
        "plain item",
        ["nested", "list"],
      ],
      keep: "ends with blank lines\n\n\n",
      blank: "a\n\n  spaced line\n\tTabbed\n",
      script: imageFile("bin/nativelink-bootstrap"),
    };
    expect(parse(toYaml(document), { strict: true, uniqueKeys: true })).toEqual(document);
  });

  it("writes YamlPlain as is (schemaVersion: 1.0, as AWSTOE documents it)", () => {
    const text = toYaml({ schemaVersion: new YamlPlain("1.0") });
    expect(text).toBe("schemaVersion: 1.0\n");
    expect(() => new YamlPlain("1.0; rm")).toThrow(/YamlPlain is for numbers/);
  });

  it("refuses what it cannot write faithfully", () => {
    expect(() => toYaml({ script: "  leading spaces\nsecond\n" })).toThrow(/must not start with whitespace/);
    expect(() => toYaml({ script: "a\r\nb\n" })).toThrow(/carriage returns/);
    expect(() => toYaml({ list: [] })).toThrow(/empty lists/);
  });
});
