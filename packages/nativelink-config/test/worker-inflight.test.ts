/** The worker's `max_inflight_tasks`: as many actions as the action-uid pool of `nativelink-run-action` has slots for. */
import { describe, expect, test } from "vitest";
import { BOOT_ENV, BOOT_ENV_DEFAULTS, workerConfig } from "../src/index.js";

const localWorker = (config: ReturnType<typeof workerConfig>) => {
  const worker = config.workers?.[0];
  if (!worker || !("local" in worker)) throw new Error("no local worker");
  return worker.local;
};

describe("workerConfig maxInflightTasks", () => {
  test("defaults to the bootstrap's NATIVELINK_MAX_INFLIGHT_TASKS, one action at a time without it", () => {
    expect(BOOT_ENV.maxInflightTasks).toBe("NATIVELINK_MAX_INFLIGHT_TASKS");
    expect(BOOT_ENV_DEFAULTS.maxInflightTasks).toBe("1");
    expect(localWorker(workerConfig()).max_inflight_tasks).toBe("${NATIVELINK_MAX_INFLIGHT_TASKS:-1}");
  });

  test("takes a number (0: no limit) or a placeholder", () => {
    expect(localWorker(workerConfig({ maxInflightTasks: 8 })).max_inflight_tasks).toBe(8);
    expect(localWorker(workerConfig({ maxInflightTasks: 0, actionRunner: false })).max_inflight_tasks).toBe(0);
    expect(localWorker(workerConfig({ maxInflightTasks: "${SLOTS:-4}" })).max_inflight_tasks).toBe("${SLOTS:-4}");
  });

  test("refuses what is not a whole number of actions, naming the option", () => {
    expect(() => workerConfig({ maxInflightTasks: -1 })).toThrow(/workerConfig\.maxInflightTasks/);
    expect(() => workerConfig({ maxInflightTasks: 1.5 })).toThrow(/whole number of actions/);
    expect(() => workerConfig({ maxInflightTasks: "${SLOTS:-many}" })).toThrow(/not a whole number of actions/);
  });
});
