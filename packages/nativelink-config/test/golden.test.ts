/**
 * The rendered presets, compared byte for byte with committed files.
 * Regenerate after an intended change with: UPDATE_GOLDEN=1 npx vitest run packages/nativelink-config
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { renderCasConfig, renderLocalCasProxyConfig, renderSchedulerConfig, renderWorkerConfig } from "../src/index.js";

const goldens: Record<string, () => string> = {
  "cas.json5": () => renderCasConfig(),
  "scheduler.json5": () => renderSchedulerConfig(),
  "worker.json5": () => renderWorkerConfig(),
  "local-cas-proxy.json5": () =>
    renderLocalCasProxyConfig({ region: "us-west-2", bucket: "nativelink-cas-123456789012", cacheDir: "/home/dev/.cache/nativelink" }),
};

test.each(Object.keys(goldens))("%s", (file) => {
  const path = fileURLToPath(new URL(`./golden/${file}`, import.meta.url));
  const rendered = goldens[file]!();
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(path, rendered);
  expect(rendered).toBe(readFileSync(path, "utf8"));
});
