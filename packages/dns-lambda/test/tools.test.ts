// The shared Python/moto tooling in tools/, as other packages will use it.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, inject, it } from "vitest";
import { recordedRequests } from "../../../tools/moto/moto-server.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

describe("tools", () => {
  it("ensure-venv prints only the venv's path on stdout, and the venv has moto_server", () => {
    const stdout = execFileSync(process.execPath, [`${repoRoot}tools/python/ensure-venv.mjs`], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(stdout).toBe(`${repoRoot}.venv\n`);
    expect(existsSync(`${repoRoot}.venv/bin/moto_server`)).toBe(true);
  });

  it("the global setup's moto answers AWS requests and records them", async () => {
    const endpoint = inject("motoEndpoint");
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${endpoint}/?Action=DescribeRegions&Version=2016-11-15`, {
      headers: { Authorization: "AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1/ec2/aws4_request" },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("us-east-1");
    expect((await recordedRequests(endpoint)).some((request) => request.url.includes("Action=DescribeRegions"))).toBe(true);
  });
});
