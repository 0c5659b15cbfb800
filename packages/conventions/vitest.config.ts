import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // CI runs two projects at once on two cores; tests that run real shells or synthesize stacks need headroom.
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
