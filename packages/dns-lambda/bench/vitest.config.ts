import { defineConfig } from "vitest/config";

// `npm run bench`: measurements, not assertions. One moto server for the handler latency.
export default defineConfig({
  test: {
    include: ["bench/**/*.bench-run.ts"],
    globalSetup: ["../../tools/moto/vitest-global-setup.ts"],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    disableConsoleIntercept: true,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
