// tools/fixtures/client-ca, which the stack's tests read, is what `certs publish` writes: the same files, the same
// manifest, certificates and CRLs of the same shape (only the keys, serials and dates differ), judged by openssl.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ALL_PUBLISHED_FILES, AUTHORITIES, MANIFEST_FILE, parseClientCaManifest, PUBLISHED_FILES } from "@nativelink-aws/nativelink-config";
import { beforeAll, describe, expect, it } from "vitest";
import { initializedWorkspace, openssl, type Workspace } from "./support/certs.js";

const FIXTURE = fileURLToPath(new URL("../../../tools/fixtures/client-ca", import.meta.url));
const manifestOf = (dir: string) => parseClientCaManifest(readFileSync(join(dir, MANIFEST_FILE), "utf8"), MANIFEST_FILE, "certs publish");
/** The lines of `openssl x509 -text` that say what a CA is, without its key, serial or dates. */
const shapeOf = (file: string, cwd: string) =>
  openssl(["x509", "-in", file, "-noout", "-text"], cwd)
    .output.split("\n")
    .map((line) => line.trim())
    .filter((line) => /^(Subject:|Issuer:|CA:|Certificate Sign|Signature Algorithm:|ASN1 OID:|X509v3 (Basic Constraints|Key Usage))/.test(line));

describe("tools/fixtures/client-ca", () => {
  let fresh: Workspace;
  let published: string;

  beforeAll(async () => {
    fresh = await initializedWorkspace("nativelink");
    published = join(fresh.dir, "client-ca");
    expect((await fresh.certs("publish", "--out", "client-ca")).code).toBe(0);
  });

  it("holds exactly the files certs publish writes", () => {
    expect(readdirSync(FIXTURE).sort()).toEqual([...ALL_PUBLISHED_FILES].sort());
    expect(readdirSync(published).sort()).toEqual([...ALL_PUBLISHED_FILES].sort());
  });

  it("has a manifest of the same form, for the deployment nativelink, with one revoked developer certificate", () => {
    const fixture = manifestOf(FIXTURE);
    const ours = manifestOf(published);
    const form = (manifest: unknown): unknown =>
      JSON.parse(JSON.stringify(manifest, (_key, value: unknown) => (typeof value === "object" && value !== null ? value : typeof value)));
    expect(form(fixture)).toEqual(form(ours));
    expect(fixture.deployment).toBe("nativelink");
    for (const authority of AUTHORITIES) expect(fixture.authorities[authority].subject).toBe(ours.authorities[authority].subject);
    expect([fixture.authorities.developers.revoked, fixture.authorities.ci.revoked]).toEqual([1, 0]);
  });

  it.each(AUTHORITIES)("has the %s CA of the shape certs init makes, its fingerprint in the manifest, and its CRL signed by it", (authority) => {
    const { caCertificate, crl } = PUBLISHED_FILES[authority];
    expect(shapeOf(join(FIXTURE, caCertificate), FIXTURE)).toEqual(shapeOf(join(published, caCertificate), published));
    const fingerprint = /Fingerprint=([0-9A-F:]+)/i.exec(openssl(["x509", "-in", caCertificate, "-noout", "-fingerprint", "-sha256"], FIXTURE).output)?.[1];
    expect(fingerprint?.replace(/:/g, "").toLowerCase()).toBe(manifestOf(FIXTURE).authorities[authority].sha256);
    expect(openssl(["crl", "-in", crl, "-CAfile", caCertificate, "-noout"], FIXTURE).output).toContain("verify OK");
  });
});
