// The Lambda entry point, bundled by esbuild into dist/lambda/index.mjs (handler "index.handler").
// Configuration is validated at start-up: a misconfigured function fails its init with every problem listed.
import { createAwsClients } from "./aws.js";
import { loadConfig } from "./config.js";
import { createHandler } from "./handler.js";

export const handler = createHandler({ config: loadConfig(process.env), clients: createAwsClients() });
