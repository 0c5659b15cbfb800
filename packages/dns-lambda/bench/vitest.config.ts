import { defineConfig } from "vitest/config";

// `npm run bench`: measurements, not assertions. One moto server for the handler latency.
export default defineConfig({
  test: {
    include: ["bench/**/*.bench-run.ts"],
    globalSetup: ["../../tools/moto/vitest-global-setup.ts"],
    disableConsoleIntercept: true,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
