// @ts-check
// An esbuild plugin that lets the bundler drop the AWS SDK v3 schemas a Lambda does not use.
// Each client's dist-es/schemas/schemas_0.js declares every shape of the service (EC2: ~550 KB minified) as top-level
// arrays such as `[..., { [_xN]: _bC }]`. esbuild keeps any literal with a computed key, since evaluating a key may
// have side effects, so none of them is tree-shaken. The keys are module constants (`const _xN = "xmlName";`):
// writing them as plain string keys changes nothing at run time and lets the unused shapes go.
import { readFile } from "node:fs/promises";

const schemaModule = /@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;

/** @type {import("esbuild").Plugin} */
export const inlineSdkSchemaKeys = {
  name: "inline-sdk-schema-keys",
  setup(build) {
    build.onLoad({ filter: schemaModule }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const constants = new Map([...source.matchAll(/^const (_\w+) = ("[^"\\\n]*");$/gm)].map((match) => [match[1], match[2]]));
      const contents = source.replace(/\[(_\w+)\]: /g, (whole, name) => {
        const value = constants.get(name);
        return value === undefined ? whole : `${value}: `;
      });
      return { contents, loader: "js" };
    });
  },
};
