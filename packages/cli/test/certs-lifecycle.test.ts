// certs init → issue → revoke → list → publish, judged by openssl rather than by the library that made the files.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  ALL_PUBLISHED_FILES,
  CI_CA_FILE,
  CI_CRL_FILE,
  DEVELOPERS_CA_FILE,
  DEVELOPERS_CRL_FILE,
  MANIFEST_FILE,
  type ClientCaManifest,
} from "@nativelink-aws/nativelink-config";
import { initializedWorkspace, issue, modeOf, openssl, snapshot } from "./support/certs.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("certs init", () => {
  it("makes a 0700 PKI directory with two CAs, their keys 0600, an empty CRL each and an empty index", async () => {
    const space = await initializedWorkspace();
    const { pkiDir } = space;
    expect(Object.keys(snapshot(pkiDir)).sort()).toEqual([
      "ci/",
      "ci/ca.key",
      "ci/ca.pem",
      "ci/crl.pem",
      "developers/",
      "developers/ca.key",
      "developers/ca.pem",
      "developers/crl.pem",
      "issued.json",
    ]);
    for (const dir of [pkiDir, join(pkiDir, "developers"), join(pkiDir, "ci")]) expect(modeOf(dir)).toBe("0700");
    for (const key of ["developers/ca.key", "ci/ca.key"]) {
      expect(modeOf(join(pkiDir, key))).toBe("0600");
      expect(readFileSync(join(pkiDir, key), "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    }
    const index = JSON.parse(readFileSync(join(pkiDir, "issued.json"), "utf8")) as { deployment: string; certificates: unknown[] };
    expect(index).toMatchObject({ deployment: "demo", certificates: [] });
  });

  it.each([
    ["developers", "demo developers client CA"],
    ["ci", "demo CI client CA"],
  ])("the %s CA: self-signed, CA:TRUE pathlen 0, keyCertSign and cRLSign, P-256, named after the deployment, 10 years", async (authority, commonName) => {
    const space = await initializedWorkspace();
    const ca = join(space.pkiDir, authority, "ca.pem");
    const text = openssl(["x509", "-in", ca, "-noout", "-text"], space.dir).output;
    expect(text).toContain(`Subject: CN = ${commonName}, O = nativelink-aws`);
    expect(text).toContain(`Issuer: CN = ${commonName}, O = nativelink-aws`);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign\n/);
    expect(text).toContain("ASN1 OID: prime256v1");
    expect(text).toContain("Signature Algorithm: ecdsa-with-SHA256");
    const dates = openssl(["x509", "-in", ca, "-noout", "-startdate", "-enddate"], space.dir).output;
    const [, start, end] = /notBefore=(.+)\nnotAfter=(.+)\n/.exec(dates) ?? [];
    expect(Math.round((Date.parse(end ?? "") - Date.parse(start ?? "")) / 86_400_000)).toBe(3650);
    expect(openssl(["verify", "-CAfile", ca, ca], space.dir).status).toBe(0);
  });

  it("each CA's empty CRL is signed by it, numbered 1, PEM `X509 CRL`", async () => {
    const space = await initializedWorkspace();
    for (const authority of ["developers", "ci"]) {
      const crl = join(space.pkiDir, authority, "crl.pem");
      expect(readFileSync(crl, "utf8")).toMatch(/^-----BEGIN X509 CRL-----\n/);
      const checked = openssl(["crl", "-in", crl, "-CAfile", join(space.pkiDir, authority, "ca.pem"), "-noout", "-text"], space.dir);
      expect(checked.output).toContain("verify OK");
      expect(checked.output).toMatch(/X509v3 CRL Number: \n\s+1\n/);
      expect(checked.output).toContain("No Revoked Certificates.");
      // RFC 5280 5.1.2.6: with nothing revoked, the list is absent (not an empty SEQUENCE): extensions follow nextUpdate.
      const der = openssl(["crl", "-in", crl, "-outform", "DER", "-out", `${authority}.der`], space.dir);
      expect(der.status).toBe(0);
      const structure = openssl(["asn1parse", "-inform", "DER", "-in", `${authority}.der`, "-i"], space.dir).output;
      expect(structure).toMatch(/UTCTIME +:\d+Z\n.*UTCTIME +:\d+Z\n.*cont \[ 0 \]/);
    }
  });
});

describe("certs issue", () => {
  it("a developer certificate passes openssl verify against the developers' CA, and not against the CI CA", async () => {
    const space = await initializedWorkspace();
    const out = await issue(space, "alice@example.com", "developer", "alice");
    const developersCa = join(space.pkiDir, "developers", "ca.pem");
    const ciCa = join(space.pkiDir, "ci", "ca.pem");
    expect(openssl(["verify", "-x509_strict", "-CAfile", developersCa, join(out, "client.pem")], space.dir)).toMatchObject({ status: 0 });
    const foreign = openssl(["verify", "-CAfile", ciCa, join(out, "client.pem")], space.dir);
    expect(foreign.status).not.toBe(0);
    expect(foreign.output).toContain("unable to get local issuer certificate");
  });

  it("a CI certificate passes against the CI CA, and not against the developers' CA", async () => {
    const space = await initializedWorkspace();
    const out = await issue(space, "github-actions", "ci", "ci-cert");
    expect(openssl(["verify", "-CAfile", join(space.pkiDir, "ci", "ca.pem"), join(out, "client.pem")], space.dir).status).toBe(0);
    expect(openssl(["verify", "-CAfile", join(space.pkiDir, "developers", "ca.pem"), join(out, "client.pem")], space.dir).status).not.toBe(0);
  });

  it("is a client certificate: CA:FALSE, digitalSignature, clientAuth, CN and SAN from the name, the days asked for", async () => {
    const space = await initializedWorkspace();
    const out = await issue(space, "alice@example.com", "developer", "alice", "90");
    const text = openssl(["x509", "-in", join(out, "client.pem"), "-noout", "-text"], space.dir).output;
    expect(text).toContain("Subject: CN = alice@example.com, OU = developer, O = nativelink-aws demo");
    expect(text).toContain("Issuer: CN = demo developers client CA, O = nativelink-aws");
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
    expect(text).toMatch(/X509v3 Extended Key Usage: \s+TLS Web Client Authentication\n/);
    expect(text).toContain("URI:urn:nativelink-aws:demo:developer:alice@example.com");
    expect(openssl(["x509", "-in", join(out, "client.pem"), "-noout", "-checkend", String(89 * 86_400)], space.dir).status).toBe(0);
    expect(openssl(["x509", "-in", join(out, "client.pem"), "-noout", "-checkend", String(91 * 86_400)], space.dir).status).not.toBe(0);
    // `openssl x509 -purpose`: good for a TLS client, not for a server or as a CA.
    const purposes = openssl(["x509", "-in", join(out, "client.pem"), "-noout", "-purpose"], space.dir).output;
    expect(purposes).toContain("SSL client : Yes");
    expect(purposes).toContain("SSL server : No");
    expect(purposes).toContain("SSL client CA : No");
  });

  it("serials are random and at least 64 bits; each issue gets its own", async () => {
    const space = await initializedWorkspace();
    const serials = new Set<string>();
    for (const name of ["a", "b", "c"]) {
      const out = await issue(space, name, "developer", name);
      const serial = /serial=([0-9A-F]+)/.exec(openssl(["x509", "-in", join(out, "client.pem"), "-noout", "-serial"], space.dir).output)?.[1] ?? "";
      expect(serial.length * 4).toBeGreaterThanOrEqual(64);
      serials.add(serial);
    }
    expect(serials.size).toBe(3);
  });

  it("writes the key as PKCS#8 PEM, mode 0600, in a 0700 directory, matching the certificate; chain.pem is certificate + CA", async () => {
    const space = await initializedWorkspace();
    const out = await issue(space, "alice", "developer", "keys/alice");
    expect(modeOf(out)).toBe("0700");
    expect(modeOf(join(out, "client.key"))).toBe("0600");
    expect(readFileSync(join(out, "client.key"), "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    const fromKey = openssl(["pkey", "-in", join(out, "client.key"), "-pubout"], space.dir).output;
    const fromCertificate = openssl(["x509", "-in", join(out, "client.pem"), "-noout", "-pubkey"], space.dir).output;
    expect(fromKey).toBe(fromCertificate);
    const ca = readFileSync(join(space.pkiDir, "developers", "ca.pem"), "utf8");
    expect(readFileSync(join(out, "chain.pem"), "utf8")).toBe(readFileSync(join(out, "client.pem"), "utf8") + ca);
  });

  it("prints the files and the Bazel flags for them", async () => {
    const space = await initializedWorkspace();
    const result = await space.certs("issue", "--name", "alice", "--kind", "developer", "--out", "alice");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`build --tls_client_certificate=${join(space.dir, "alice", "client.pem")}`);
    expect(result.stdout).toContain(`build --tls_client_key=${join(space.dir, "alice", "client.key")}`);
    expect(result.stdout).toMatch(/valid until \S+, signed by the developers CA/);
  });
});

describe("certs revoke", () => {
  it("puts the certificate in its CA's CRL with the reason; openssl verify -crl_check then fails for it only", async () => {
    const space = await initializedWorkspace();
    const alice = await issue(space, "alice", "developer", "alice");
    const bob = await issue(space, "bob", "developer", "bob");
    const revoked = await space.certs("revoke", "--name", "alice", "--reason", "key-compromise");
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain("signed CRL 2 of the developers CA");
    const ca = join(space.pkiDir, "developers", "ca.pem");
    const crl = join(space.pkiDir, "developers", "crl.pem");
    const serial = /serial=([0-9A-F]+)/.exec(openssl(["x509", "-in", join(alice, "client.pem"), "-noout", "-serial"], space.dir).output)?.[1];
    const listing = openssl(["crl", "-in", crl, "-CAfile", ca, "-noout", "-text"], space.dir).output;
    expect(listing).toContain("verify OK");
    expect(listing).toContain(`Serial Number: ${serial}`);
    expect(listing).toMatch(/X509v3 CRL Reason Code: \n\s+Key Compromise/);
    expect(listing).toMatch(/X509v3 CRL Number: \n\s+2\n/);
    const refused = openssl(["verify", "-crl_check", "-CAfile", ca, "-CRLfile", crl, join(alice, "client.pem")], space.dir);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain("certificate revoked");
    expect(openssl(["verify", "-crl_check", "-CAfile", ca, "-CRLfile", crl, join(bob, "client.pem")], space.dir).status).toBe(0);
    // The CI CA's CRL is untouched.
    expect(openssl(["crl", "-in", join(space.pkiDir, "ci", "crl.pem"), "-noout", "-text"], space.dir).output).toMatch(/CRL Number: \n\s+1\n/);
  });

  it("by --serial (as openssl prints it, or as certs list does) and by --cert FILE", async () => {
    const space = await initializedWorkspace();
    const first = await issue(space, "runner-1", "ci", "r1");
    const second = await issue(space, "runner-2", "ci", "r2");
    const opensslSerial = openssl(["x509", "-in", join(first, "client.pem"), "-noout", "-serial"], space.dir)
      .output.replace("serial=", "")
      .trim();
    const colons = opensslSerial.replace(/(..)(?!$)/g, "$1:");
    expect((await space.certs("revoke", "--serial", colons)).code).toBe(0);
    expect((await space.certs("revoke", "--cert", "r2/client.pem", "--reason", "superseded")).code).toBe(0);
    const crl = join(space.pkiDir, "ci", "crl.pem");
    const ca = join(space.pkiDir, "ci", "ca.pem");
    for (const out of [first, second])
      expect(openssl(["verify", "-crl_check", "-CAfile", ca, "-CRLfile", crl, join(out, "client.pem")], space.dir).status).not.toBe(0);
    const listing = openssl(["crl", "-in", crl, "-noout", "-text"], space.dir).output;
    expect(listing).toMatch(/CRL Number: \n\s+3\n/);
    expect(listing).toContain("Superseded");
    // RFC 5280: the reason code `unspecified` is left out rather than written.
    expect(listing.match(/CRL Reason Code/g)).toHaveLength(1);
  });
});

describe("certs list", () => {
  it("shows each certificate's name, kind, serial, expiry and status: valid, expired, revoked", async () => {
    const space = await initializedWorkspace();
    await issue(space, "alice", "developer", "alice", "1");
    await issue(space, "bob", "developer", "bob", "30");
    await issue(space, "gha", "ci", "gha", "30");
    await space.certs("revoke", "--name", "bob", "--reason", "affiliation-changed");
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 2 * 86_400_000 });
    const text = await space.certs("list");
    expect(text.code).toBe(0);
    expect(text.stdout.split("\n")[0]).toMatch(/^NAME +KIND +SERIAL +NOT AFTER +STATUS$/);
    expect(text.stdout).toMatch(/^alice +developer +[0-9a-f]{32} +\S+ +expired$/m);
    expect(text.stdout).toMatch(/^bob +developer +[0-9a-f]{32} +\S+ +revoked \d{4}-\d\d-\d\d \(affiliationChanged\)$/m);
    expect(text.stdout).toMatch(/^gha +ci +[0-9a-f]{32} +\S+ +valid$/m);
    const json = JSON.parse((await space.certs("list", "--json")).stdout) as {
      deployment: string;
      certificates: { name: string; status: string; reason?: string }[];
    };
    expect(json.deployment).toBe("demo");
    expect(json.certificates.map(({ name, status, reason }) => ({ name, status, reason }))).toEqual([
      { name: "alice", status: "expired", reason: undefined },
      { name: "bob", status: "revoked", reason: "affiliationChanged" },
      { name: "gha", status: "valid", reason: undefined },
    ]);
  });

  it("says how to issue when nothing was issued", async () => {
    const space = await initializedWorkspace();
    expect((await space.certs("list")).stdout).toContain("no certificates issued yet");
  });
});

describe("certs publish", () => {
  it("writes exactly the five public files into client-ca/ by default, and no private key", async () => {
    const space = await initializedWorkspace();
    await issue(space, "alice", "developer", "alice");
    const result = await space.certs("publish");
    expect(result.code).toBe(0);
    const out = join(space.dir, "client-ca");
    expect(readdirSync(out).sort()).toEqual([...ALL_PUBLISHED_FILES].sort());
    for (const name of readdirSync(out)) {
      const text = readFileSync(join(out, name), "utf8");
      expect(text).not.toMatch(/PRIVATE KEY/);
      const blocks = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((match) => match[1]);
      expect(
        blocks.every((label) => label === "CERTIFICATE" || label === "X509 CRL"),
        name,
      ).toBe(true);
    }
  });

  it("the published CAs and CRLs are the PKI's; the manifest's fingerprints and CRL numbers match openssl's", async () => {
    const space = await initializedWorkspace();
    await issue(space, "alice", "developer", "alice");
    await space.certs("revoke", "--name", "alice");
    await space.certs("publish", "--out", "published");
    const out = join(space.dir, "published");
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST_FILE), "utf8")) as ClientCaManifest;
    expect(manifest).toMatchObject({ format: 1, deployment: "demo" });
    expect(Date.now() - Date.parse(manifest.publishedAt)).toBeLessThan(60_000);
    for (const [authority, caFile, crlFile, crlNumber, revoked] of [
      ["developers", DEVELOPERS_CA_FILE, DEVELOPERS_CRL_FILE, 2, 1],
      ["ci", CI_CA_FILE, CI_CRL_FILE, 1, 0],
    ] as const) {
      expect(readFileSync(join(out, caFile), "utf8")).toBe(readFileSync(join(space.pkiDir, authority, "ca.pem"), "utf8"));
      const fingerprint = openssl(["x509", "-in", join(out, caFile), "-noout", "-fingerprint", "-sha256"], space.dir).output;
      expect(fingerprint.split("=")[1]?.trim().replace(/:/g, "").toLowerCase()).toBe(manifest.authorities[authority].sha256);
      expect(manifest.authorities[authority]).toMatchObject({ caCertificate: caFile, crl: crlFile, crlNumber, revoked });
      expect(openssl(["crl", "-in", join(out, crlFile), "-CAfile", join(out, caFile), "-noout"], space.dir).output).toContain("verify OK");
      expect(manifest.authorities[authority].crlNextUpdate).toBe(manifest.authorities[authority].notAfter);
    }
  });

  it("is idempotent: a second publish rewrites nothing, byte for byte; a revoke changes the developers' CRL only", async () => {
    const space = await initializedWorkspace();
    await issue(space, "alice", "developer", "alice");
    await space.certs("publish");
    const out = join(space.dir, "client-ca");
    const first = snapshot(out);
    const again = await space.certs("publish");
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^client-ca is up to date \(published \S+\); nothing written$/m);
    expect(snapshot(out)).toEqual(first);
    await space.certs("revoke", "--name", "alice");
    await space.certs("publish");
    const changed = Object.keys(snapshot(out))
      .filter((name) => snapshot(out)[name] !== first[name])
      .sort();
    expect(changed).toEqual([DEVELOPERS_CRL_FILE, MANIFEST_FILE]);
  });

  it("signs a CRL anew, one number up, when the stored one no longer matches the index", async () => {
    const space = await initializedWorkspace();
    const { rmSync } = await import("node:fs");
    rmSync(join(space.pkiDir, "ci", "crl.pem"));
    const result = await space.certs("publish");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`signed a new CRL: ${join(space.pkiDir, "ci", "crl.pem")}`);
    const manifest = JSON.parse(readFileSync(join(space.dir, "client-ca", MANIFEST_FILE), "utf8")) as ClientCaManifest;
    expect(manifest.authorities.ci.crlNumber).toBe(2);
    expect(manifest.authorities.developers.crlNumber).toBe(1);
  });
});
