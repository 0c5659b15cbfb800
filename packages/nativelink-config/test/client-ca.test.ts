// The published client CA directory's contract: its names, which listener trusts which CA, and manifest.json.
import { describe, expect, it } from "vitest";
import {
  ALL_PUBLISHED_FILES,
  AUTHORITIES,
  certsInitCommand,
  certsPublishCommand,
  ClientCaError,
  LISTENER_TRUST,
  parseClientCaManifest,
  PUBLISHED_FILES,
  renderClientCaManifest,
  type ClientCaManifest,
} from "../src/index.js";

const authority = (name: "developers" | "ci") => ({
  caCertificate: PUBLISHED_FILES[name].caCertificate,
  crl: PUBLISHED_FILES[name].crl,
  subject: `CN=demo ${name} client CA, O=nativelink-aws`,
  sha256: "ab".repeat(32),
  notAfter: "2036-01-01T00:00:00.000Z",
  crlNumber: 2,
  crlThisUpdate: "2026-01-01T00:00:00.000Z",
  crlNextUpdate: "2036-01-01T00:00:00.000Z",
  revoked: 1,
});
const manifest: ClientCaManifest = {
  format: 1,
  deployment: "demo",
  publishedAt: "2026-01-01T00:00:00.000Z",
  authorities: { developers: authority("developers"), ci: authority("ci") },
};
const REPUBLISH = certsPublishCommand("demo", "client-ca");

describe("the published client CA directory", () => {
  it("has a CA certificate and a CRL per authority, plus the manifest, and nothing else", () => {
    expect(ALL_PUBLISHED_FILES).toEqual(["developers-ca.pem", "ci-ca.pem", "developers.crl.pem", "ci.crl.pem", "manifest.json"]);
    expect(AUTHORITIES.flatMap((name) => [PUBLISHED_FILES[name].caCertificate, PUBLISHED_FILES[name].crl]).sort()).toEqual(
      ALL_PUBLISHED_FILES.filter((f) => f.endsWith(".pem")).sort(),
    );
  });

  it("lets readers in with either CA and writers with the CI CA only", () => {
    expect(LISTENER_TRUST).toEqual({ readers: ["developers", "ci"], writers: ["ci"] });
  });

  it("names the commands that write it", () => {
    expect(certsInitCommand("demo")).toBe("npx nativelink-aws certs init --deployment demo");
    expect(REPUBLISH).toBe("npx nativelink-aws certs publish --deployment demo --out client-ca");
  });
});

describe("manifest.json", () => {
  it("round-trips as certs publish writes it", () => {
    const text = renderClientCaManifest(manifest);
    expect(text.endsWith("}\n")).toBe(true);
    expect(parseClientCaManifest(text, "client-ca/manifest.json", REPUBLISH)).toEqual(manifest);
  });

  it.each([
    ["not JSON", "{", /client-ca\/manifest\.json is not JSON .*; write it again with: npx nativelink-aws certs publish --deployment demo --out client-ca$/],
    ["another format", JSON.stringify({ ...manifest, format: 2 }), /format: expected format 1/],
    [
      "a foreign file name",
      JSON.stringify({ ...manifest, authorities: { ...manifest.authorities, ci: { ...authority("ci"), caCertificate: "ca.pem" } } }),
      /authorities\.ci\.caCertificate: /,
    ],
    [
      "a short fingerprint",
      JSON.stringify({ ...manifest, authorities: { ...manifest.authorities, developers: { ...authority("developers"), sha256: "ab" } } }),
      /authorities\.developers\.sha256: expected a SHA-256/,
    ],
  ])("refuses %s, naming the field and the command", (_case, text, message) => {
    expect(() => parseClientCaManifest(text, "client-ca/manifest.json", REPUBLISH)).toThrow(ClientCaError);
    expect(() => parseClientCaManifest(text, "client-ca/manifest.json", REPUBLISH)).toThrow(message);
  });
});
