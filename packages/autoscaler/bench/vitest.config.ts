import { defineConfig } from "vitest/config";

// `npm run bench`: the fleet simulation (no AWS, no moto) and the bundle's size.
export default defineConfig({
  test: {
    include: ["bench/**/*.bench-run.ts"],
    disableConsoleIntercept: true,
    testTimeout: 600_000,
  },
});
