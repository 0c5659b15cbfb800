// The `bazel` command lines the READMEs show as what `nativelink-aws bazelrc` amounts to carry exactly its flags.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { bazelFlags, endpointsFromDomain } from "../src/bazelrc/flags.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

/** The flags of the first `bazel test //...` command line in a fenced block of `readme`, after the `anchor` text. */
function documentedFlags(readme: string, anchor: string): string[] {
  const text = readFileSync(`${root}/${readme}`, "utf8");
  const from = text.indexOf(anchor);
  expect(from, anchor).toBeGreaterThan(-1);
  const block = /```sh\n(bazel test \/\/\.\.\.[\s\S]*?)```/.exec(text.slice(from))![1]!;
  return block
    .replace(/\\\n\s*/g, " ")
    .trim()
    .split(/\s+/)
    .slice(3);
}

const developer = (domain: string, certificate: string, key: string) =>
  bazelFlags({ ...endpointsFromDomain(domain), source: "test", clientAuth: { certificate, key } });

describe("the bazel flags the READMEs show", () => {
  it("root README: its opening example is a developer's flags", () => {
    expect(documentedFlags("README.md", "# nativelink-aws")).toEqual(developer("DOMAIN", "client.pem", "client.key"));
  });

  it('reference README: "which is the same as" is what bazelrc prints for alice', () => {
    expect(documentedFlags("apps/reference-deployment/README.md", "which is the same as")).toEqual(
      developer("build.example.com", "$HOME/certs/alice/client.pem", "$HOME/certs/alice/client.key"),
    );
  });
});
