// Which Node.js the CLI runs on: the decision table, and the same range in every package.json's engines.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SUPPORTED_NODE_RANGE, nodeSupport } from "../src/node-support.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

describe("nodeSupport", () => {
  it.each([
    ["v22.13.0", true],
    ["v22.23.5", true],
    ["v24.0.0", true],
    ["v24.22.3", true],
    ["v26.1.0", true],
    ["22.13.0", true],
    ["v22.12.0", false],
    ["v22.0.0", false],
    ["v23.11.1", false],
    ["v20.20.2", false],
    ["v18.20.8", false],
    ["v0.10.48", false],
  ])("%s → supported %s", (version, supported) => {
    expect(nodeSupport(version).supported).toBe(supported);
  });

  it("an unsupported version gets one line naming it and the versions to use", () => {
    const answer = nodeSupport("v20.20.2");
    expect(answer).toEqual({
      supported: false,
      problem: "Node.js v20.20.2 is not supported; use Node.js 22.13 or later, or 24 or later (e.g. `nvm install 24`)",
    });
  });

  it("a version it cannot read is refused, saying so", () => {
    const answer = nodeSupport("banana");
    expect(answer.supported).toBe(false);
    expect(answer.supported === false && answer.problem).toMatch(/^cannot tell which Node.js this is \(version "banana"\); use Node.js 22.13/);
  });

  it("every package.json in the repository (the root and every workspace) declares the supported range as engines.node", () => {
    const workspaces = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { workspaces: string[] }).workspaces;
    expect(workspaces).toEqual(expect.arrayContaining(["packages/*", "apps/*", "examples", "tests/*"]));
    const manifests = [
      "package.json",
      ...workspaces.flatMap((pattern) =>
        pattern.endsWith("/*")
          ? readdirSync(join(repoRoot, pattern.slice(0, -2))).map((name) => join(pattern.slice(0, -2), name, "package.json"))
          : [join(pattern, "package.json")],
      ),
    ];
    expect(manifests).toEqual(expect.arrayContaining(["examples/package.json", "tests/e2e/package.json"]));
    const engines = Object.fromEntries(
      manifests.map((path) => [path, (JSON.parse(readFileSync(join(repoRoot, path), "utf8")) as { engines?: { node?: string } }).engines?.node]),
    );
    expect(Object.keys(engines).length).toBeGreaterThanOrEqual(10);
    for (const [path, range] of Object.entries(engines)) expect({ path, range }).toEqual({ path, range: SUPPORTED_NODE_RANGE });
  });
});
