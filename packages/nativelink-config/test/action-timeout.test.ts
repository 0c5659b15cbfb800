import { describe, expect, it } from "vitest";
import { longestActionTimeoutSeconds, NATIVELINK_DEFAULT_MAX_ACTION_TIMEOUT_SECONDS, workerConfig, type NativeLinkConfig } from "../src/index.js";

const layout = { casKeyPrefix: "cas/", acKeyPrefix: "ac/", workerApiPort: 50061 };

describe("the workers' longest action", () => {
  it("is the worker preset's max_action_timeout_s, as set or by default (NativeLink's 1200 s)", () => {
    expect(NATIVELINK_DEFAULT_MAX_ACTION_TIMEOUT_SECONDS).toBe(1200);
    expect(longestActionTimeoutSeconds(workerConfig(layout))).toBe(1200);
    expect(longestActionTimeoutSeconds(workerConfig({ ...layout, maxActionTimeoutSeconds: 3000 }))).toBe(3000);
  });

  it("reads duration strings, takes the longest worker, uses NativeLink's 1200 s for a worker that sets none", () => {
    const base = workerConfig(layout);
    const local = (base.workers![0] as { local: Record<string, unknown> }).local;
    const config = {
      ...base,
      workers: [{ local: { ...local, max_action_timeout_s: "1h 30m" } }, { local: { ...local, max_action_timeout_s: undefined } }],
    } as NativeLinkConfig;
    expect(longestActionTimeoutSeconds(config)).toBe(5400);
    const unset = { ...base, workers: [{ local: { ...local, max_action_timeout_s: undefined } }] } as NativeLinkConfig;
    expect(longestActionTimeoutSeconds(unset)).toBe(1200);
    expect(longestActionTimeoutSeconds({ ...base, workers: [] })).toBeUndefined();
    const zero = { ...base, workers: [{ local: { ...local, max_action_timeout_s: 0 } }] } as NativeLinkConfig;
    expect(longestActionTimeoutSeconds(zero)).toBe(1200);
    const placeholder = { ...base, workers: [{ local: { ...local, max_action_timeout_s: "${TIMEOUT}" } }] } as NativeLinkConfig;
    expect(() => longestActionTimeoutSeconds(placeholder)).toThrow(
      /max_action_timeout_s is "\$\{TIMEOUT\}", which is not known at synth time .*give the drain its length explicitly/,
    );
  });
});
