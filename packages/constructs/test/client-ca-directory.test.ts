// readClientCaDirectory: what certs publish wrote, as the two listeners' trust store sources, or an error naming the
// file and the command that writes it.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ClientCaError } from "@nativelink-aws/nativelink-config";
import { describe, expect, it } from "vitest";
import { readClientCaDirectory } from "../src/client-ca-directory.js";
import { FIXTURE_CLIENT_CA } from "./synth-helpers.js";

const fixture = (file: string) => readFileSync(join(FIXTURE_CLIENT_CA, file), "utf8");
/** A copy of the fixture directory to spoil. */
function copy(change: (dir: string) => void = () => undefined): string {
  const dir = join(mkdtempSync(join(tmpdir(), "client-ca-")), "client-ca");
  cpSync(FIXTURE_CLIENT_CA, dir, { recursive: true });
  change(dir);
  return dir;
}

describe("readClientCaDirectory", () => {
  it("gives readers the developers' and the CI CA with both revocation lists, and writers the CI CA with its own", () => {
    const { readers, writers, manifest } = readClientCaDirectory(FIXTURE_CLIENT_CA, { deployment: "nativelink" });
    expect(readers).toEqual({
      caCertificatesPem: fixture("developers-ca.pem") + fixture("ci-ca.pem"),
      revocationListsPem: [fixture("developers.crl.pem"), fixture("ci.crl.pem")],
    });
    expect(writers).toEqual({ caCertificatesPem: fixture("ci-ca.pem"), revocationListsPem: [fixture("ci.crl.pem")] });
    expect(manifest).toMatchObject({ deployment: "nativelink", authorities: { developers: { revoked: 1 }, ci: { revoked: 0 } } });
  });

  it("without the directory, says to create the CAs once and to publish them", () => {
    expect(() => readClientCaDirectory("missing/client-ca", { deployment: "demo" })).toThrow(
      new ClientCaError(
        "No client CA directory at missing/client-ca: run `npx nativelink-aws certs init --deployment demo` once if the deployment has no CAs yet, " +
          "then `npx nativelink-aws certs publish --deployment demo --out missing/client-ca`",
      ),
    );
  });

  it("names a missing file and the command that writes it again", () => {
    const dir = copy((d) => rmSync(join(d, "ci.crl.pem")));
    expect(() => readClientCaDirectory(dir)).toThrow(
      `${dir} lacks ci.crl.pem, which certs publish writes: write the directory again ` +
        `with \`npx nativelink-aws certs publish --deployment <name> --out ${dir}\``,
    );
  });

  it("refuses another deployment's client CAs", () => {
    expect(() => readClientCaDirectory(FIXTURE_CLIENT_CA, { deployment: "ci-cache" })).toThrow(
      `${FIXTURE_CLIENT_CA} holds the client CAs of deployment nativelink, not ci-cache: publish this ` +
        `deployment's with \`npx nativelink-aws certs publish --deployment ci-cache --out ${FIXTURE_CLIENT_CA}\``,
    );
  });

  it("refuses a CA certificate that is not the one the manifest names (a file copied over another)", () => {
    const dir = copy((d) => writeFileSync(join(d, "ci-ca.pem"), fixture("developers-ca.pem")));
    expect(() => readClientCaDirectory(dir)).toThrow(
      new RegExp(
        `^${join(dir, "ci-ca.pem")} is not the certificate ${join(dir, "manifest.json")} names ` +
          `\\(SHA-256 [0-9a-f]{64}, the manifest says [0-9a-f]{64}\\): write the directory again with`,
      ),
    );
  });

  it.each([
    ["a CRL that is no CRL", "ci.crl.pem", () => fixture("ci-ca.pem"), /ci\.crl\.pem holds 0 PEM blocks "X509 CRL", not one/],
    [
      "a damaged manifest",
      "manifest.json",
      () => "{",
      /manifest\.json is not JSON .*; write it again with: npx nativelink-aws certs publish --deployment <name>/,
    ],
  ])("refuses %s", (_case, file, content, message) => {
    expect(() => readClientCaDirectory(copy((d) => writeFileSync(join(d, file), content())))).toThrow(message);
  });

  it("refuses a directory that holds a private key, which must never reach the stack or the repository", () => {
    const dir = copy((d) => writeFileSync(join(d, "ci.key"), "-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n"));
    expect(() => readClientCaDirectory(dir)).toThrow(
      `${join(dir, "ci.key")} holds a private key, which certs publish never writes and the stack must never read`,
    );
  });
});
