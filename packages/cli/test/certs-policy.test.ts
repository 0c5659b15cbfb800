// The decisions behind the certs commands, as tables: validity, what revoke picks, CRL numbers, statuses.
import { describe, expect, it } from "vitest";
import { crlMatchesIndex } from "../src/certs/crl.js";
import type { CertificateRecord, PkiIndex } from "../src/certs/pki-index.js";
import { parsePkiIndex, serializePkiIndex } from "../src/certs/pki-index.js";
import {
  applyRevocation,
  BACKDATE_MS,
  certificateStatus,
  crlValidity,
  decideIssue,
  decideRevoke,
  MAX_CLIENT_DAYS,
  normalizeSerial,
  randomSerial,
} from "../src/certs/policy.js";

const DAY = 86_400_000;
const NOW = new Date("2030-01-01T00:00:00.000Z");
const days = (count: number) => new Date(NOW.getTime() + count * DAY).toISOString();
const sha = "0".repeat(64);

function record(name: string, kind: CertificateRecord["kind"], serial: string, notAfter: string, revoked?: CertificateRecord["revoked"]): CertificateRecord {
  return { name, kind, serial, subject: `CN=${name}`, notBefore: days(-10), notAfter, issuedAt: days(-10), sha256: sha, ...(revoked ? { revoked } : {}) };
}

const authority = (notAfter: string, crlNumber = 1) => ({ subject: "CN=ca", serial: "01", notBefore: days(-100), notAfter, sha256: sha, crlNumber });

const INDEX: PkiIndex = {
  format: 1,
  deployment: "demo",
  createdAt: days(-100),
  authorities: { developers: authority(days(3000)), ci: authority(days(200), 4) },
  certificates: [
    record("alice", "developer", "0a", days(30)),
    record("alice", "developer", "0b", days(-1)),
    record("bob", "developer", "0c", days(30), { at: days(-2), reason: "keyCompromise" }),
    record("gha", "ci", "0d", days(30)),
  ],
};

describe("decideIssue", () => {
  it.each([
    [{ kind: "developer" as const, days: 90 }, "developers", days(90)],
    [{ kind: "ci" as const, days: 200 }, "ci", days(200)],
  ])("%j → signed by %s until %s, valid from an hour ago", (request, signer, notAfter) => {
    const decision = decideIssue(INDEX, request, NOW);
    expect(decision).toEqual({ authority: signer, notBefore: new Date(NOW.getTime() - BACKDATE_MS), notAfter: new Date(notAfter) });
  });

  it.each([
    [{ kind: "developer" as const, days: MAX_CLIENT_DAYS + 1 }, /--days: 398 is more than 397/],
    [{ kind: "ci" as const, days: 201 }, /--days: 201 would outlive the ci CA, which expires on 2030-07-20T00:00:00.000Z; give --days 200 or less/],
  ])("%j is refused", (request, message) => {
    expect(() => decideIssue(INDEX, request, NOW)).toThrow(message);
  });

  it("refuses once the CA has expired", () => {
    expect(() => decideIssue(INDEX, { kind: "ci", days: 1 }, new Date(days(201)))).toThrow(/the ci CA expired on/);
  });
});

describe("decideRevoke", () => {
  it.each([
    [{ name: "alice" }, ["0a"]],
    [{ name: "gha" }, ["0d"]],
    [{ serial: "0D" }, ["0d"]],
    [{ serial: "0:d" }, ["0d"]],
  ])("%j → %j (valid certificates only)", (selector, serials) => {
    expect(decideRevoke(INDEX, selector, NOW).map((chosen) => chosen.serial)).toEqual(serials);
  });

  it.each([
    [{ name: "carol" }, /no certificate was issued to carol/],
    [{ name: "bob" }, /serial 0c \(bob\) is already revoked/],
    [{ serial: "0b" }, /serial 0b \(alice\) expired on/],
    [{ serial: "ff" }, /serial ff was not issued by this PKI/],
  ])("%j is refused", (selector, message) => {
    expect(() => decideRevoke(INDEX, selector, NOW)).toThrow(message);
  });

  it("a name whose certificates are all expired or revoked has nothing to revoke", () => {
    const index = { ...INDEX, certificates: [...INDEX.certificates, record("bob", "developer", "0e", days(-3))] };
    expect(() => decideRevoke(index, { name: "bob" }, NOW)).toThrow(/every certificate of bob is already expired or revoked/);
  });
});

describe("applyRevocation", () => {
  it("marks the records and raises the CRL number of each CA that signed one, and only those", () => {
    const after = applyRevocation(INDEX, ["0a"], "superseded", NOW);
    expect(after.certificates.find((chosen) => chosen.serial === "0a")?.revoked).toEqual({ at: NOW.toISOString(), reason: "superseded" });
    expect(after.authorities.developers.crlNumber).toBe(2);
    expect(after.authorities.ci.crlNumber).toBe(4);
    expect(INDEX.certificates.find((chosen) => chosen.serial === "0a")?.revoked).toBeUndefined();
  });
});

describe("certificateStatus", () => {
  it.each([
    [record("a", "ci", "01", days(1)), "valid"],
    [record("a", "ci", "01", NOW.toISOString()), "expired"],
    [record("a", "ci", "01", days(-1), { at: days(-5), reason: "unspecified" }), "revoked"],
  ])("%#: %s", (candidate, status) => {
    expect(certificateStatus(candidate, NOW)).toBe(status);
  });
});

describe("CRLs", () => {
  it("are valid from an hour ago until their CA expires, so an idle deployment never holds a stale one", () => {
    expect(crlValidity(new Date(days(3650)), NOW)).toEqual({ thisUpdate: new Date(NOW.getTime() - BACKDATE_MS), nextUpdate: new Date(days(3650)) });
  });

  it.each([
    [{ number: 1, serials: ["0c"] }, "developers", true],
    [{ number: 1, serials: [] }, "developers", false],
    [{ number: 2, serials: ["0c"] }, "developers", false],
    [{ number: 4, serials: [] }, "ci", true],
    [undefined, "ci", false],
  ] as const)("stored %j matches the index for %s: %s", (crl, signer, matches) => {
    const info = crl ? { issuer: "CN=ca", thisUpdate: NOW, nextUpdate: NOW, ...crl } : undefined;
    expect(crlMatchesIndex(info, INDEX, signer)).toBe(matches);
  });
});

describe("serials and the index file", () => {
  it("serials: 16 random bytes, positive, no leading zero byte", () => {
    const serials = Array.from({ length: 200 }, randomSerial);
    for (const serial of serials) expect(serial).toMatch(/^[0-7][0-9a-f]{31}$/);
    expect(serials.every((serial) => !serial.startsWith("00"))).toBe(true);
    expect(new Set(serials).size).toBe(200);
    expect(normalizeSerial("7F:11:AB")).toBe("7f11ab");
  });

  it("round-trips, and a damaged index is a usage error that says to restore the backup", () => {
    expect(parsePkiIndex(serializePkiIndex(INDEX), "issued.json")).toEqual(INDEX);
    expect(() => parsePkiIndex("{", "issued.json")).toThrow(/issued.json is not JSON .*restore it from your backup/);
    const damaged = JSON.stringify({ ...INDEX, certificates: [{ ...INDEX.certificates[0], kind: "admin" }] });
    expect(() => parsePkiIndex(damaged, "issued.json")).toThrow(/issued.json is not a certs index \(certificates.0.kind: .*\); restore it/);
  });
});
