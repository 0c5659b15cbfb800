import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One moto server for the whole run; integration tests read its endpoint with inject("motoEndpoint").
    globalSetup: ["../../tools/moto/vitest-global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
