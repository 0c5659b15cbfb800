// Reading `terraform output -json`: the cluster's outputs found behind its outputPrefix, or chosen with --output-prefix.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseTerraformOutputs } from "../src/terraform-outputs.js";
import { runCli } from "./support/run-cli.js";

const cluster = (prefix: string, domain: string) => ({
  [`${prefix}cas_endpoint`]: { value: `grpcs://cas.${domain}`, type: "string", sensitive: false },
  [`${prefix}scheduler_endpoint`]: { value: `grpcs://scheduler.${domain}`, type: "string", sensitive: false },
  [`${prefix}remote_instance_name`]: { value: "main", type: "string", sensitive: false },
  [`${prefix}client_certificate_required`]: { value: false, type: "bool", sensitive: false },
  [`${prefix}cas_bucket_name`]: { value: `${prefix}bucket`, type: "string", sensitive: false },
});

describe("parseTerraformOutputs", () => {
  it("reads a stack without an output prefix", () => {
    const outputs = parseTerraformOutputs(JSON.stringify(cluster("", "a.example.com")), "o.json");
    expect(outputs).toMatchObject({ cas_endpoint: "grpcs://cas.a.example.com", remote_instance_name: "main", client_certificate_required: false });
  });

  it("finds the one cluster's prefix by itself", () => {
    const outputs = parseTerraformOutputs(JSON.stringify({ other: { value: 1 }, ...cluster("blue_", "blue.example.com") }), "o.json");
    expect(outputs).toMatchObject({ cas_endpoint: "grpcs://cas.blue.example.com", cas_bucket_name: "blue_bucket" });
  });

  it("refuses to guess between several clusters, naming their prefixes and the flag", () => {
    const text = JSON.stringify({ ...cluster("blue_", "blue.example.com"), ...cluster("green_", "green.example.com") });
    expect(() => parseTerraformOutputs(text, "o.json")).toThrow(
      'o.json holds the outputs of 2 clusters (output prefixes "blue_", "green_"); choose one with --output-prefix',
    );
    expect(parseTerraformOutputs(text, "o.json", "green_").scheduler_endpoint).toBe("grpcs://scheduler.green.example.com");
  });

  it("names a malformed output with its prefix", () => {
    const text = JSON.stringify({ ...cluster("blue_", "blue.example.com"), blue_cas_endpoint: { value: "https://cas" } });
    expect(() => parseTerraformOutputs(text, "o.json")).toThrow("o.json: output blue_cas_endpoint is not a grpc:// or grpcs:// URL");
  });
});

describe("bazelrc --output-prefix", () => {
  it("prints the chosen cluster's flags", async () => {
    const dir = mkdtempSync(join(tmpdir(), "outputs-"));
    writeFileSync(join(dir, "o.json"), JSON.stringify({ ...cluster("blue_", "blue.example.com"), ...cluster("green_", "green.example.com") }));
    const ambiguous = await runCli(["bazelrc", "--outputs", "o.json"], { cwd: dir });
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain("choose one with --output-prefix");
    const chosen = await runCli(["bazelrc", "--outputs", "o.json", "--output-prefix", "green_"], { cwd: dir });
    expect(chosen.stderr).toBe("");
    expect(chosen.stdout).toContain("--remote_cache=grpcs://cas.green.example.com");
    const bad = await runCli(["bazelrc", "--outputs", "o.json", "--output-prefix", "1x"], { cwd: dir });
    expect(bad.stderr).toContain('"1x" is not an output name prefix');
  });
});
