// What the READMEs claim about the CLI: the `bazel` command lines that stand for `nativelink-aws bazelrc` carry exactly its
// flags, and `images lock` is said to have been verified only against what it was verified against.
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

describe("what the READMEs say images lock has been verified against", () => {
  it("says plainly: a generated test release and the publishers' workflows, not real release material; 0.161.0 is assumed", () => {
    const cli = readFileSync(`${root}/packages/cli/README.md`, "utf8").replace(/\s+/g, " ");
    expect(cli).toContain("`images lock` has been run only against generated releases signed by a test Sigstore");
    expect(cli).toContain("It has not yet verified real release material.");
    expect(cli).toMatch(/default, 0\.161\.0, .* is an assumption/);
    const rootReadme = readFileSync(`${root}/README.md`, "utf8").replace(/\s+/g, " ");
    expect(rootReadme).toContain("verified only against a generated Sigstore test release and the publishers' release workflow definitions");
    expect(rootReadme).toContain("its default collector version (0.161.0) is an assumption");
  });
});
