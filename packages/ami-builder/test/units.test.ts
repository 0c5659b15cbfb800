import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { workerConfig } from "@nativelink-aws/nativelink-config";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { stopTimeoutDropIn } from "../src/components.js";
import { imageFile } from "../src/image-files.js";
import { otelcolConfig } from "../src/observability-components.js";

/** `Key=value` settings of a unit file, per section (repeated keys keep every value). */
/** The exit status of a unit's `ExecCondition` (run for real) on an instance whose role.env names each role. */
function conditionStatusByRole(condition: string): Record<string, number | null> {
  const directory = mkdtempSync(join(tmpdir(), "nativelink-exec-condition-"));
  try {
    const statuses: Record<string, number | null> = {};
    for (const role of ["worker", "scheduler", "cas"]) {
      writeFileSync(join(directory, "role.env"), `NATIVELINK_ROLE=${role}\nNATIVELINK_DEPLOYMENT=nativelink\n`);
      const [command = "", ...args] = condition.replace("/etc/nativelink/role.env", join(directory, "role.env")).split(" ");
      statuses[role] = spawnSync(command, args).status;
    }
    return statuses;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function unit(name: string): Record<string, Record<string, string[]>> {
  const sections: Record<string, Record<string, string[]>> = {};
  let current: Record<string, string[]> = {};
  for (const line of imageFile(`systemd/${name}`).split("\n")) {
    const section = /^\[(\w+)\]$/.exec(line);
    if (section?.[1]) sections[section[1]] = current = {};
    const setting = /^(\w+)=(.*)$/.exec(line);
    if (setting?.[1] && setting[2] !== undefined) (current[setting[1]] ??= []).push(setting[2]);
  }
  return sections;
}

describe("systemd units (the boot contract, docs/DESIGN.md)", () => {
  it("nativelink-bootstrap.service: oneshot, stays active, waits for role.env, enabled at boot", () => {
    const { Unit, Service, Install } = unit("nativelink-bootstrap.service");
    expect(Unit?.ConditionPathExists).toEqual(["/etc/nativelink/role.env"]);
    expect(Unit?.Before).toEqual(["nativelink.service"]);
    expect(Service).toMatchObject({ Type: ["oneshot"], RemainAfterExit: ["yes"], ExecStart: ["/usr/local/bin/nativelink-bootstrap"] });
    expect(Install?.WantedBy).toEqual(["multi-user.target"]);
  });

  it("nativelink.service: needs the bootstrap, reads its env file, restarts on failure, stops with everything it started", () => {
    const { Unit, Service, Install } = unit("nativelink.service");
    expect(Unit?.Requires).toEqual(["nativelink-bootstrap.service"]);
    // Skipped (not failed) while the bootstrap's warm-pool marker says the instance waits in the pool.
    expect(Unit?.ConditionPathExists).toEqual(["/etc/nativelink/role.env", "!/run/nativelink/warm-pool"]);
    expect(Unit?.After?.[0]?.split(" ")).toContain("nativelink-bootstrap.service");
    expect(Service).toMatchObject({
      EnvironmentFile: ["/etc/nativelink/env"],
      ExecStart: ["/usr/local/bin/nativelink /etc/nativelink/config.json5"],
      KillSignal: ["SIGTERM"],
      // SIGTERM does not drain NativeLink (the drain worker does, before the stop): the stop ends the unit's every process.
      KillMode: ["control-group"],
      Restart: ["on-failure"],
      SuccessExitStatus: ["143"],
      StandardOutput: ["journal"],
      SyslogIdentifier: ["nativelink"],
    });
    expect(Install?.WantedBy).toEqual(["multi-user.target"]);
  });

  it("gives a worker an hour to drain by default, at least the worker preset's max action timeout", () => {
    const timeout = Number(unit("nativelink.service").Service?.TimeoutStopSec?.[0]);
    expect(timeout).toBe(3600);
    const maxActionTimeout = workerConfig().workers?.[0]?.local.max_action_timeout_s;
    expect(typeof maxActionTimeout).toBe("number");
    expect(timeout).toBeGreaterThanOrEqual(maxActionTimeout as number);
    expect(stopTimeoutDropIn(5400)).toMatch(/^\[Service\]\nTimeoutStopSec=5400$/m);
  });

  it("nativelink.service pulls in the collector and the drain watcher, whose conditions pick the role", () => {
    expect(unit("nativelink.service").Unit?.Wants?.[0]?.split(" ")).toEqual([
      "network-online.target",
      "nativelink-otelcol.service",
      "nativelink-drain-watcher.service",
    ]);
  });

  it("nativelink-drain-watcher.service: workers only, after the network, restarted always, enabled at boot", () => {
    const { Unit, Service, Install } = unit("nativelink-drain-watcher.service");
    expect(Unit).toMatchObject({ ConditionPathExists: ["/etc/nativelink/role.env"], Wants: ["network-online.target"], After: ["network-online.target"] });
    expect(Service).toMatchObject({
      ExecStart: ["/usr/local/bin/nativelink-drain-watcher"],
      Restart: ["always"],
      // The rsyslog rule ships journal lines whose identifier starts with "nativelink" to CloudWatch.
      SyslogIdentifier: ["nativelink-drain-watcher"],
    });
    expect(Install?.WantedBy).toEqual(["multi-user.target"]);
    const condition = Service?.ExecCondition?.[0] ?? "";
    expect(condition).toBe("/bin/grep -qx NATIVELINK_ROLE=worker /etc/nativelink/role.env");
    expect(conditionStatusByRole(condition)).toEqual({ worker: 0, scheduler: 1, cas: 1 });
  });

  it("nativelink-otelcol.service runs only where role.env says scheduler", () => {
    const { Service } = unit("nativelink-otelcol.service");
    const condition = Service?.ExecCondition?.[0] ?? "";
    expect(condition).toBe("/bin/grep -qx NATIVELINK_ROLE=scheduler /etc/nativelink/role.env");
    expect(conditionStatusByRole(condition)).toEqual({ scheduler: 0, worker: 1, cas: 1 });
    expect(Service?.ExecStart).toEqual(["/usr/local/bin/otelcol-contrib --config=/etc/nativelink/otelcol.yaml"]);
  });

  it("the collector takes OTLP on localhost:4317 and serves Prometheus text (namespace nativelink) on the metrics port", () => {
    const config = parse(otelcolConfig(9500)) as {
      receivers: { otlp: { protocols: { grpc: { endpoint: string } } } };
      exporters: { prometheus: { endpoint: string; namespace: string } };
      service: { pipelines: Record<string, { receivers: string[]; exporters: string[] }> };
    };
    expect(config.receivers.otlp.protocols.grpc.endpoint).toBe("127.0.0.1:4317");
    expect(config.exporters.prometheus).toMatchObject({ endpoint: "0.0.0.0:9500", namespace: "nativelink" });
    expect(config.service.pipelines.metrics).toMatchObject({ receivers: ["otlp"], exporters: ["prometheus"] });
    expect(parse(imageFile("otelcol/config.yaml")).exporters.prometheus.endpoint).toBe("0.0.0.0:9464");
  });

  const systemdUnits = "/usr/lib/systemd/system";
  it.skipIf(spawnSync("systemd-analyze", ["--version"]).status !== 0 || !existsSync(systemdUnits))(
    "systemd-analyze verify accepts all four units without a warning",
    () => {
      const root = mkdtempSync(join(tmpdir(), "nativelink-units-"));
      try {
        mkdirSync(join(root, "usr/lib/systemd"), { recursive: true });
        cpSync(systemdUnits, join(root, "usr/lib/systemd/system"), { recursive: true });
        // Stand-ins for the programs the units start (systemd-analyze checks they are executable).
        const binaries = [
          "usr/local/bin/nativelink",
          "usr/local/bin/nativelink-bootstrap",
          "usr/local/bin/otelcol-contrib",
          "usr/local/bin/nativelink-drain-watcher",
          "bin/grep",
        ];
        for (const binary of binaries) {
          mkdirSync(join(root, binary, ".."), { recursive: true });
          writeFileSync(join(root, binary), "#!/bin/sh\n");
          chmodSync(join(root, binary), 0o755);
        }
        const units = ["nativelink-bootstrap.service", "nativelink.service", "nativelink-otelcol.service", "nativelink-drain-watcher.service"];
        mkdirSync(join(root, "etc/systemd/system/nativelink.service.d"), { recursive: true });
        for (const name of units) writeFileSync(join(root, "etc/systemd/system", name), imageFile(`systemd/${name}`));
        writeFileSync(join(root, "etc/systemd/system/nativelink.service.d/stop-timeout.conf"), stopTimeoutDropIn(3600));
        const result = spawnSync("systemd-analyze", ["verify", `--root=${root}`, ...units.map((name) => `/etc/systemd/system/${name}`)], { encoding: "utf8" });
        expect({ code: result.status, output: `${result.stdout}${result.stderr}` }).toEqual({ code: 0, output: "" });
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  );
});
