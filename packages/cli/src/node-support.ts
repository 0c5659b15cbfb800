// Which Node.js versions the CLI runs on. Pure, and free of imports, so main.ts can decide before anything loads
// the AWS SDK (which warns on an unsupported Node.js in eight lines).

/**
 * The supported Node.js versions, as in `engines.node` of every package.json (a test checks they agree):
 * 22.13 or later on the 22 line (ESLint 10 needs 22.13; 22.12 made `require()` of ESM packages such as ours work
 * without a flag), and 24 or later. 23 was a short-lived line that ended in June 2025.
 */
export const SUPPORTED_NODE_RANGE = "^22.13.0 || >=24";

export type NodeSupport = { readonly supported: true } | { readonly supported: false; readonly problem: string };

/** Whether `version` (as `process.version` spells it, e.g. `v22.13.0`) is supported, and if not, what to do. */
export function nodeSupport(version: string): NodeSupport {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  const fix = "use Node.js 22.13 or later, or 24 or later (e.g. `nvm install 24`)";
  if (!match) return { supported: false, problem: `cannot tell which Node.js this is (version "${version}"); ${fix}` };
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if ((major === 22 && minor >= 13) || major >= 24) return { supported: true };
  return { supported: false, problem: `Node.js ${version} is not supported; ${fix}` };
}
