import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Finds the NativeLink binary and the collector (or fails, saying how to get them) before any test runs.
    globalSetup: ["./src/vitest-global-setup.ts"],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    // One test file at a time: each runs real servers and Bazel, and CI runs another project beside this one.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
