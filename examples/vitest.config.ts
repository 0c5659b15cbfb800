import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The examples read images.lock.json from the working directory, as a real app does: the tests change it, which
    // child processes allow (worker threads do not).
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
