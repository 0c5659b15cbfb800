import { ESLint } from "eslint";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const workspaceRoot = fileURLToPath(new URL("../../..", import.meta.url));

async function ruleIdsFor(code: string, filePath: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: workspaceRoot });
  const [result] = await eslint.lintText(code, { filePath: `${workspaceRoot}/${filePath}` });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

describe("workspace lint rules", () => {
  it("forbids importing the root of @cdktf/provider-aws", async () => {
    const findings = await ruleIdsFor(`import { s3Bucket } from "@cdktf/${"provider-aws"}";\nexport const x = s3Bucket;\n`, "packages/constructs/src/x.ts");
    expect(findings).toEqual([expect.stringMatching(/^no-restricted-imports: .*deep path.*~3 s and ~550 MB/)]);
  });

  it("allows a deep import of one provider class", async () => {
    const findings = await ruleIdsFor(
      'import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";\nexport const x = S3Bucket;\n',
      "packages/constructs/src/x.ts",
    );
    expect(findings).toEqual([]);
  });

  it("keeps nativelink-config free of cdktf and the AWS SDK", async () => {
    const cdktf = await ruleIdsFor('import { App } from "cdktf";\nexport const x = App;\n', "packages/nativelink-config/src/x.ts");
    const sdk = await ruleIdsFor('import { S3Client } from "@aws-sdk/client-s3";\nexport const x = S3Client;\n', "packages/nativelink-config/src/x.ts");
    expect(cdktf).toEqual([expect.stringMatching(/must not depend on CDK for Terraform/)]);
    expect(sdk).toEqual([expect.stringMatching(/knows nothing of AWS SDKs/)]);
  });

  it("keeps the CLI free of cdktf", async () => {
    const findings = await ruleIdsFor('import { App } from "cdktf";\nexport const x = App;\n', "packages/cli/src/x.ts");
    expect(findings).toEqual([expect.stringMatching(/must not depend on CDK for Terraform/)]);
  });

  it("keeps constructs from importing runtime packages", async () => {
    const findings = await ruleIdsFor('import { x } from "@nativelink-aws/dns-lambda";\nexport const y = x;\n', "packages/constructs/src/x.ts");
    expect(findings).toEqual([expect.stringMatching(/never imports a runtime package/)]);
  });
});

describe("cdktf core imports", () => {
  it("stay in packages/constructs/src/cdktf.ts", async () => {
    const elsewhere = await ruleIdsFor('import { Fn } from "cdktf";\nexport const x = Fn;\n', "packages/constructs/src/x.ts");
    const inTheModule = await ruleIdsFor('export { Fn } from "cdktf";\n', "packages/constructs/src/cdktf.ts");
    expect(elsewhere).toEqual([expect.stringMatching(/Import cdktf core symbols from \.\/cdktf\.js/)]);
    expect(inTheModule).toEqual([]);
  });
});
