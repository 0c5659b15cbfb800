// The CAS bucket in moto, through the AWS SDK as any S3 client sees it.
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";

export class MotoBucket {
  private readonly client: S3Client;

  constructor(
    endpoint: string,
    readonly name: string,
    region: string,
  ) {
    this.client = new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
  }

  async create(): Promise<void> {
    await this.client.send(new CreateBucketCommand({ Bucket: this.name }));
  }

  /** Every object key in the bucket. */
  async keys(): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.name, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).map((object) => object.Key!));
      token = page.NextContinuationToken;
    } while (token);
    return keys;
  }

  /** Every object key under `prefix`, sorted. */
  async keysUnder(prefix: string): Promise<string[]> {
    return (await this.keys()).filter((key) => key.startsWith(prefix)).sort();
  }

  /** An object's bytes. */
  async get(key: string): Promise<Buffer> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.name, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  }

  close(): void {
    this.client.destroy();
  }
}
