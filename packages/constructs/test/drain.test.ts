import { parseConfig, schedulerConfig, workerConfig } from "@nativelink-aws/nativelink-config";
import { describe, expect, it } from "vitest";
import { workerDrainSettings } from "../src/drain.js";

describe("workerDrainSettings: what the worker's drain reads from role.env", () => {
  it("takes the admin listener's port and path, the scheduler it serves, and the worker's work directory", () => {
    const settings = workerDrainSettings(schedulerConfig({ workerApiPort: 50071 }), workerConfig({ mountPath: "/data" }), "scheduler.internal.example.com");
    expect(settings).toEqual({ adminUrl: "http://scheduler.internal.example.com:50071/admin", schedulerName: "MAIN_SCHEDULER", workDirectory: "/data/work" });
  });

  it("uses the admin service's own path when it sets one", () => {
    const scheduler = schedulerConfig();
    const custom = parseConfig({
      ...scheduler,
      servers: scheduler.servers.map((server) => (server.services.admin ? { ...server, services: { ...server.services, admin: { path: "/ops/" } } } : server)),
    });
    expect(workerDrainSettings(custom, workerConfig(), "10.0.0.5").adminUrl).toBe("http://10.0.0.5:50061/ops");
  });

  it("refuses a scheduler without an admin API beside its worker API, saying what the drain needs", () => {
    const scheduler = schedulerConfig();
    const withoutAdmin = parseConfig({
      ...scheduler,
      servers: scheduler.servers.map((server) => ({ ...server, services: { ...server.services, admin: undefined } })),
    });
    expect(() => workerDrainSettings(withoutAdmin, workerConfig(), "host")).toThrow(/needs a listener with both worker_api and admin/);
  });
});
