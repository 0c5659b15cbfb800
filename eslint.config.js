// @ts-check
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

/** The provider package root loads ~2,200 resource classes (~3 s, ~550 MB): import one class by deep path. */
const providerRootImports = [
  {
    name: "@cdktf/provider-aws",
    message: "Import one resource by deep path, e.g. '@cdktf/provider-aws/lib/s3-bucket/index.js': the package root costs ~3 s and ~550 MB to load.",
  },
  {
    name: "@cdktf/provider-aws/lib",
    message: "Import one resource by deep path, e.g. '@cdktf/provider-aws/lib/s3-bucket/index.js'.",
  },
  {
    name: "@cdktf/provider-aws/lib/index.js",
    message: "Import one resource by deep path, e.g. '@cdktf/provider-aws/lib/s3-bucket/index.js'.",
  },
];

const noCdktf = [{ group: ["cdktf", "cdktf/*", "@cdktf/*", "constructs"], message: "This package must not depend on CDK for Terraform (see DESIGN.md)." }];

export default tseslint.config(
  { ignores: ["**/dist/**", "**/cdktf.out/**", "**/node_modules/**", "**/.nx/**", ".venv/**", "**/coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "no-restricted-imports": ["error", { paths: providerRootImports }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    // nativelink-config is pure: no AWS, no cdktf.
    files: ["packages/nativelink-config/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: providerRootImports,
          patterns: [...noCdktf, { group: ["@aws-sdk/*"], message: "nativelink-config knows nothing of AWS SDKs." }],
        },
      ],
    },
  },
  {
    // conventions is imported by everything, the Lambda bundles included: no cdktf, no AWS SDK, no other package.
    files: ["packages/conventions/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: providerRootImports,
          patterns: [
            ...noCdktf,
            { group: ["@aws-sdk/*", "@nativelink-aws/*"], message: "conventions depends on nothing: every package, and the Lambda bundles, import it." },
          ],
        },
      ],
    },
  },
  {
    files: ["packages/cli/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { paths: providerRootImports, patterns: noCdktf }] },
  },
  {
    // constructs meets the runtime packages through small interfaces, never through their internals,
    // and imports the cdktf core in one module only (src/cdktf.ts), for the move to cdktn.
    files: ["packages/constructs/src/**/*.ts"],
    ignores: ["packages/constructs/src/cdktf.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            ...providerRootImports,
            { name: "cdktf", message: "Import cdktf core symbols from ./cdktf.js: one module holds the dependency (docs/cdktn-migration.md)." },
          ],
          patterns: [
            {
              group: ["@nativelink-aws/dns-lambda", "@nativelink-aws/autoscaler", "@nativelink-aws/ami-builder", "@nativelink-aws/cli"],
              message: "constructs never imports a runtime package; the app composes them (DESIGN.md).",
            },
          ],
        },
      ],
    },
  },
);
