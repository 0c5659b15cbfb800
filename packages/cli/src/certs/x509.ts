// Keys, certificates and CRLs, through @peculiar/x509 on Node's WebCrypto: no hand-written ASN.1, no openssl binary.
// ECDSA P-256 with SHA-256 everywhere: the load balancer's trust store takes ECDSA secp256r1 CA and client
// certificates, every TLS stack speaks it, and Bazel's netty loads a PKCS#8 EC key (it tries RSA, DSA, then EC).
import "reflect-metadata"; // @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect API.
import { createHash, webcrypto } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { CRLNumber, id_ce_cRLNumber } from "@peculiar/asn1-x509";
import * as x509 from "@peculiar/x509";
import { UsageError } from "../errors.js";
import type { RevocationReason } from "./pki-index.js";

x509.cryptoProvider.set(webcrypto);

const KEY_ALGORITHM = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGNING_ALGORITHM = { name: "ECDSA", hash: "SHA-256" } as const;
/** The PEM label of a CRL that openssl and the load balancer read (RFC 7468); the library writes `CRL`. */
const CRL_PEM_LABEL = "X509 CRL";

export type Key = webcrypto.CryptoKey;
export type KeyPair = webcrypto.CryptoKeyPair;

export async function generateKeyPair(): Promise<KeyPair> {
  return webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ["sign", "verify"]);
}

/** PKCS#8 PEM (`BEGIN PRIVATE KEY`), the form netty's `SslContextBuilder.keyManager(cert, key)` loads. */
export async function privateKeyToPem(key: Key): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", key);
  return `${x509.PemConverter.encode(pkcs8, "PRIVATE KEY")}\n`;
}

/** A P-256 signing key from PKCS#8 PEM; a UsageError naming `source` otherwise. */
export async function privateKeyFromPem(pem: string, source: string): Promise<Key> {
  try {
    const [der] = x509.PemConverter.decode(pem);
    if (!der) throw new Error("no PEM block");
    return await webcrypto.subtle.importKey("pkcs8", der, KEY_ALGORITHM, true, ["sign"]);
  } catch (error) {
    throw new UsageError(`${source} is not a P-256 private key in PKCS#8 PEM (${(error as Error).message}); restore it from your backup of the PKI directory`);
  }
}

export interface CertificateInfo {
  readonly pem: string;
  /** Lower-case hex. */
  readonly serial: string;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SHA-256 of the DER encoding, lower-case hex. */
  readonly sha256: string;
}

function describe(certificate: x509.X509Certificate): CertificateInfo {
  return {
    pem: `${certificate.toString("pem")}\n`,
    serial: certificate.serialNumber.toLowerCase(),
    subject: certificate.subject,
    issuer: certificate.issuer,
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    sha256: createHash("sha256").update(new Uint8Array(certificate.rawData)).digest("hex"),
  };
}

export interface CaCertificateRequest {
  readonly subject: string;
  readonly keys: KeyPair;
  readonly serial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** Self-signed, CA:TRUE with pathLen 0 (no intermediate CAs), keyCertSign and cRLSign only. */
export async function createCaCertificate(request: CaCertificateRequest): Promise<CertificateInfo> {
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: request.serial,
    name: request.subject,
    notBefore: request.notBefore,
    notAfter: request.notAfter,
    keys: request.keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(request.keys.publicKey),
    ],
  });
  return describe(certificate);
}

export interface ClientCertificateRequest {
  readonly caCertificatePem: string;
  readonly caKey: Key;
  readonly publicKey: Key;
  readonly subject: string;
  readonly sanUri: string;
  readonly serial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** CA:FALSE, digitalSignature, clientAuth only: good for a TLS client, useless as a server or a CA. */
export async function createClientCertificate(request: ClientCertificateRequest): Promise<CertificateInfo> {
  const ca = new x509.X509Certificate(request.caCertificatePem);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: request.serial,
    subject: request.subject,
    issuer: ca.subject,
    notBefore: request.notBefore,
    notAfter: request.notAfter,
    publicKey: request.publicKey,
    signingKey: request.caKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth], false),
      new x509.SubjectAlternativeNameExtension([{ type: "url", value: request.sanUri }], false),
      await x509.AuthorityKeyIdentifierExtension.create(ca, false),
      await x509.SubjectKeyIdentifierExtension.create(request.publicKey),
    ],
  });
  return describe(certificate);
}

/** The first certificate of a PEM file; a UsageError naming `source` otherwise. */
export function readCertificate(pem: string, source: string): CertificateInfo {
  try {
    return describe(new x509.X509Certificate(pem));
  } catch (error) {
    throw new UsageError(`${source} is not a PEM certificate (${(error as Error).message})`);
  }
}

/** Whether `certificatePem` names `caPem`'s subject as its issuer and carries a signature of its key. */
export async function isIssuedBy(certificatePem: string, caPem: string): Promise<boolean> {
  const certificate = new x509.X509Certificate(certificatePem);
  const ca = new x509.X509Certificate(caPem);
  if (certificate.issuer !== ca.subject) return false;
  return certificate.verify({ publicKey: ca, signatureOnly: true });
}

/** Whether a private key belongs to a certificate: sign with one, verify with the other. */
export async function keyMatchesCertificate(key: Key, certificatePem: string): Promise<boolean> {
  const certificate = new x509.X509Certificate(certificatePem);
  const publicKey = await certificate.publicKey.export(KEY_ALGORITHM, ["verify"]);
  const probe = new TextEncoder().encode("nativelink-aws certs key check");
  const signature = await webcrypto.subtle.sign(SIGNING_ALGORITHM, key, probe);
  return webcrypto.subtle.verify(SIGNING_ALGORITHM, publicKey, signature, probe);
}

export interface CrlEntry {
  readonly serial: string;
  readonly revokedAt: Date;
  readonly reason: RevocationReason;
}

export interface CrlRequest {
  readonly caCertificatePem: string;
  readonly caKey: Key;
  readonly number: number;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly entries: readonly CrlEntry[];
}

/** A v2 CRL with a CRL number and the CA's key identifier; entries carry a reason unless it is `unspecified` (RFC 5280). */
export async function signCrl(request: CrlRequest): Promise<string> {
  const ca = new x509.X509Certificate(request.caCertificatePem);
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.subject,
    thisUpdate: request.thisUpdate,
    nextUpdate: request.nextUpdate,
    signingKey: request.caKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    entries: request.entries.map((entry) => ({
      serialNumber: entry.serial,
      revocationDate: entry.revokedAt,
      ...(entry.reason === "unspecified" ? {} : { reason: x509.X509CrlReason[entry.reason] }),
    })),
    extensions: [
      new x509.Extension(id_ce_cRLNumber, false, AsnConvert.serialize(new CRLNumber(request.number))),
      await x509.AuthorityKeyIdentifierExtension.create(ca, false),
    ],
  });
  return `${x509.PemConverter.encode(crl.rawData, CRL_PEM_LABEL)}\n`;
}

export interface CrlInfo {
  readonly issuer: string;
  readonly number: number | undefined;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  /** Lower-case hex serials. */
  readonly serials: readonly string[];
}

/** A CRL's number, dates and entries; a UsageError naming `source` when it is not one. */
export function readCrl(pem: string, source: string): CrlInfo {
  try {
    const crl = new x509.X509Crl(pem);
    const numberExtension = crl.getExtension(id_ce_cRLNumber);
    const number = numberExtension ? Number(AsnConvert.parse(numberExtension.value, CRLNumber).value) : undefined;
    return {
      issuer: crl.issuer,
      number,
      thisUpdate: crl.thisUpdate,
      nextUpdate: crl.nextUpdate,
      serials: crl.entries.map((entry) => entry.serialNumber.toLowerCase()),
    };
  } catch (error) {
    throw new UsageError(`${source} is not a PEM CRL (${(error as Error).message})`);
  }
}
