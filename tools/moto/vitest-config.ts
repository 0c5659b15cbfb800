import { defineConfig } from "vitest/config";

/**
 * The Vitest configuration of a project whose tests talk to moto: one moto server for the whole run (tests read its
 * endpoint with inject("motoEndpoint")), and time for a cold start on two busy cores.
 */
export function motoVitestConfig(options: { testTimeout?: number } = {}) {
  return defineConfig({
    test: {
      include: ["test/**/*.test.ts"],
      globalSetup: ["../../tools/moto/vitest-global-setup.ts"],
      testTimeout: options.testTimeout ?? 30_000,
      hookTimeout: 120_000,
    },
  });
}
