// A Sigstore of our own for the tests: a Fulcio-like CA (P-384 root and intermediate) that issues 10-minute GitHub
// Actions certificates, a Rekor-like log key that signs entry timestamps and checkpoints, the trusted_root.json that
// names them, and the signed files the publishers ship (Sigstore bundles, cosign .sig/.pem). Nothing leaves the process.
import "reflect-metadata";
import { createHash, KeyObject, sign, generateKeyPairSync, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { json as canonicalJson } from "@sigstore/core";

const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";
const REKOR_HOST = "rekor.test.invalid";
const CA_ALGORITHM = { name: "ECDSA", namedCurve: "P-384", hash: "SHA-384" } as const;
const LEAF_ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

/** Who a test certificate is issued to, as Fulcio writes a GitHub Actions identity. */
export interface TestIdentity {
  /** The workflow that signs: `https://github.com/OWNER/REPO/.github/workflows/FILE@REF`. */
  readonly san: string;
  readonly sourceRepository: string;
  readonly sourceRef: string;
  /** The top-level workflow; defaults to the SAN. */
  readonly buildConfig?: string;
  readonly issuer?: string;
}

export interface TestSigner {
  readonly certificate: x509.X509Certificate;
  readonly privateKey: KeyObject;
}

/** DER UTF8String, as Fulcio encodes its extensions from 57264.1.8 on. */
function utf8String(text: string): Uint8Array {
  const bytes = Buffer.from(text, "utf8");
  const length = bytes.length < 0x80 ? [bytes.length] : bytes.length < 0x100 ? [0x81, bytes.length] : [0x82, bytes.length >> 8, bytes.length & 0xff];
  return Buffer.concat([Buffer.from([0x0c, ...length]), bytes]);
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest();
const certificateMaterial = (signer: TestSigner) => ({ rawBytes: Buffer.from(signer.certificate.rawData).toString("base64") });

export class TestSigstore {
  private constructor(
    private readonly root: x509.X509Certificate,
    private readonly intermediate: x509.X509Certificate,
    private readonly intermediateKey: webcrypto.CryptoKey,
    private readonly rekorKey: KeyObject,
    private readonly rekorSpki: Buffer,
  ) {}

  static async create(name = "test"): Promise<TestSigstore> {
    const subtle = webcrypto.subtle;
    const rootKeys = await subtle.generateKey(CA_ALGORITHM, true, ["sign", "verify"]);
    const validity = { notBefore: new Date("2020-01-01T00:00:00Z"), notAfter: new Date("2040-01-01T00:00:00Z") };
    const caUsage = new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true);
    const root = await x509.X509CertificateGenerator.createSelfSigned({
      name: `CN=${name}-root, O=test.invalid`,
      keys: rootKeys,
      signingAlgorithm: CA_ALGORITHM,
      ...validity,
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true), caUsage],
    });
    const intermediateKeys = await subtle.generateKey(CA_ALGORITHM, true, ["sign", "verify"]);
    const intermediate = await x509.X509CertificateGenerator.create({
      subject: `CN=${name}-intermediate, O=test.invalid`,
      issuer: root.subject,
      publicKey: intermediateKeys.publicKey,
      signingKey: rootKeys.privateKey,
      signingAlgorithm: CA_ALGORITHM,
      ...validity,
      extensions: [new x509.BasicConstraintsExtension(true, 0, true), caUsage, new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.codeSigning])],
    });
    const rekor = generateKeyPairSync("ec", { namedCurve: "P-256" });
    return new TestSigstore(root, intermediate, intermediateKeys.privateKey, rekor.privateKey, rekor.publicKey.export({ type: "spki", format: "der" }));
  }

  private get logId(): Buffer {
    return sha256(this.rekorSpki);
  }

  /** The trusted_root.json that vouches for this CA and log (no CT logs, no timestamp authority). */
  trustedRoot(): object {
    const validFor = { start: "2020-01-01T00:00:00Z" };
    return {
      mediaType: "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
      tlogs: [
        {
          baseUrl: `https://${REKOR_HOST}`,
          hashAlgorithm: "SHA2_256",
          logId: { keyId: this.logId.toString("base64") },
          publicKey: { rawBytes: this.rekorSpki.toString("base64"), keyDetails: "PKIX_ECDSA_P256_SHA_256", validFor },
        },
      ],
      certificateAuthorities: [
        {
          subject: { organization: "test.invalid", commonName: "test-root" },
          uri: "https://fulcio.test.invalid",
          validFor,
          certChain: { certificates: [this.intermediate, this.root].map((certificate) => ({ rawBytes: Buffer.from(certificate.rawData).toString("base64") })) },
        },
      ],
      ctlogs: [],
      timestampAuthorities: [],
    };
  }

  /** A 10-minute leaf certificate for `identity`, as Fulcio issues to a GitHub Actions job. */
  async issue(identity: TestIdentity): Promise<TestSigner> {
    const keys = await webcrypto.subtle.generateKey(LEAF_ALGORITHM, true, ["sign", "verify"]);
    const issuer = identity.issuer ?? GITHUB_ISSUER;
    const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const extension = (oid: string, value: Uint8Array) => new x509.Extension(`1.3.6.1.4.1.57264.1.${oid}`, false, value);
    const certificate = await x509.X509CertificateGenerator.create({
      subject: "",
      issuer: this.intermediate.subject,
      publicKey: keys.publicKey,
      signingKey: this.intermediateKey,
      signingAlgorithm: CA_ALGORITHM,
      notBefore,
      notAfter: new Date(notBefore.getTime() + 10 * 60_000),
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.codeSigning]),
        new x509.SubjectAlternativeNameExtension([{ type: "url", value: identity.san }], true),
        extension("1", Buffer.from(issuer)),
        extension("8", utf8String(issuer)),
        extension("12", utf8String(identity.sourceRepository)),
        extension("14", utf8String(identity.sourceRef)),
        extension("18", utf8String(identity.buildConfig ?? identity.san)),
      ],
    });
    return { certificate, privateKey: KeyObject.from(keys.privateKey) };
  }

  /** A Rekor v1 entry with a signed entry timestamp and a one-leaf inclusion proof (bundle v0.3 requires the proof). */
  private tlogEntry(kind: "hashedrekord" | "dsse", body: object): object {
    const canonicalized = Buffer.from(JSON.stringify(body));
    const integratedTime = Math.floor(Date.now() / 1000);
    const promise = { body: canonicalized.toString("base64"), integratedTime, logIndex: 0, logID: this.logId.toString("hex") };
    const signedEntryTimestamp = sign("sha256", Buffer.from(canonicalJson.canonicalize(promise)), this.rekorKey);
    const rootHash = sha256(Buffer.concat([Buffer.from([0]), canonicalized]));
    const note = `${REKOR_HOST} - test-log\n1\n${rootHash.toString("base64")}\n`;
    const noteSignature = sign("sha256", Buffer.from(note), this.rekorKey);
    const checkpoint = `${note}\n\u2014 ${REKOR_HOST} ${Buffer.concat([this.logId.subarray(0, 4), noteSignature]).toString("base64")}\n`;
    return {
      logIndex: "0",
      logId: { keyId: this.logId.toString("base64") },
      kindVersion: { kind, version: "0.0.1" },
      integratedTime: String(integratedTime),
      inclusionPromise: { signedEntryTimestamp: signedEntryTimestamp.toString("base64") },
      inclusionProof: { logIndex: "0", rootHash: rootHash.toString("base64"), treeSize: "1", hashes: [], checkpoint: { envelope: checkpoint } },
      canonicalizedBody: canonicalized.toString("base64"),
    };
  }

  /**
   * cosign v3 `sign-blob --bundle`: a bundle v0.3 with a message signature over `blob`. `signatureOver` makes a bundle
   * that names `blob`'s digest (consistently, log entry included) but signs other bytes.
   */
  messageSignatureBundle(blob: Buffer, signer: TestSigner, signatureOver: Buffer = blob): object {
    const signature = sign("sha256", signatureOver, signer.privateKey);
    const digest = sha256(blob);
    const body = {
      apiVersion: "0.0.1",
      kind: "hashedrekord",
      spec: {
        data: { hash: { algorithm: "sha256", value: digest.toString("hex") } },
        signature: { content: signature.toString("base64"), publicKey: { content: Buffer.from(signer.certificate.toString("pem")).toString("base64") } },
      },
    };
    return {
      mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
      verificationMaterial: { certificate: certificateMaterial(signer), tlogEntries: [this.tlogEntry("hashedrekord", body)] },
      messageSignature: { messageDigest: { algorithm: "SHA2_256", digest: digest.toString("base64") }, signature: signature.toString("base64") },
    };
  }

  /** slsa-github-generator v2: a bundle v0.3 with a DSSE envelope around an in-toto statement. */
  dsseBundle(statement: object, signer: TestSigner): object {
    const payloadType = "application/vnd.in-toto+json";
    const payload = Buffer.from(JSON.stringify(statement));
    const pae = Buffer.concat([Buffer.from(`DSSEv1 ${payloadType.length} ${payloadType} ${payload.length} `), payload]);
    const signature = sign("sha256", pae, signer.privateKey);
    const body = {
      apiVersion: "0.0.1",
      kind: "dsse",
      spec: {
        payloadHash: { algorithm: "sha256", value: sha256(payload).toString("hex") },
        signatures: [{ signature: signature.toString("base64"), verifier: Buffer.from(signer.certificate.toString("pem")).toString("base64") }],
      },
    };
    return {
      mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
      verificationMaterial: { certificate: certificateMaterial(signer), tlogEntries: [this.tlogEntry("dsse", body)] },
      dsseEnvelope: { payload: payload.toString("base64"), payloadType, signatures: [{ sig: signature.toString("base64") }] },
    };
  }

  /** cosign v2 `sign-blob --output-signature --output-certificate`: base64 DER signature, base64 of the PEM. */
  cosignBlob(blob: Buffer, signer: TestSigner): { signature: string; certificate: string } {
    return {
      signature: sign("sha256", blob, signer.privateKey).toString("base64"),
      certificate: Buffer.from(`${signer.certificate.toString("pem")}\n`).toString("base64"),
    };
  }
}
