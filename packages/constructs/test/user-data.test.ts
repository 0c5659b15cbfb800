import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BOOT_ENV, parseConfigText, renderCasConfig, renderSchedulerConfig, renderWorkerConfig } from "@nativelink-aws/nativelink-config";
import { describe, expect, it } from "vitest";
import { resources, synthCluster } from "./synth-helpers.js";
import { evaluateBase64Template } from "./terraform-string.js";

const synth = synthCluster();
const templates = Object.fromEntries(Object.values(resources(synth, "aws_launch_template")).map((template) => [String(template.name), template]));
const bucketReference = Object.keys(resources(synth, "aws_s3_bucket")).find((id) => id.includes("Cas"))!;
const references = {
  [`aws_s3_bucket.${bucketReference}.bucket`]: "nativelink-cas-123456789012-us-west-2",
  "data.aws_region.NativeLinkRegion.region": "us-west-2",
};

/** Runs a fleet's user data for real in bash, with /etc/nativelink moved into a temp dir and a fake systemctl. */
function boot(fleet: string): { dir: string; systemctl: string[] } {
  const script = evaluateBase64Template(String(templates[fleet]!.user_data), references);
  const dir = mkdtempSync(join(tmpdir(), "user-data-"));
  const bin = join(dir, "bin");
  execFileSync("mkdir", ["-p", bin]);
  writeFileSync(join(bin, "systemctl"), `#!/bin/sh\necho "$@" >> "${dir}/systemctl.log"\n`);
  chmodSync(join(bin, "systemctl"), 0o755);
  writeFileSync(join(dir, "user-data.sh"), script.replaceAll("/etc/nativelink", join(dir, "etc")));
  execFileSync("bash", [join(dir, "user-data.sh")], { env: { PATH: `${bin}:/usr/bin:/bin` } });
  return { dir, systemctl: readFileSync(join(dir, "systemctl.log"), "utf8").trim().split("\n") };
}

describe("user data (the boot contract)", () => {
  // The defaults expire the action cache after 14 days and the CAS after 30: NativeLink reports one day earlier.
  const considerExpiredAfterSeconds = { cas: 29 * 86_400, ac: 13 * 86_400 };
  it.each([
    ["nativelink-cas", renderCasConfig({ considerExpiredAfterSeconds })],
    ["nativelink-scheduler", renderSchedulerConfig({ considerExpiredAfterSeconds })],
    ["nativelink-workers-x86_64", renderWorkerConfig({ considerExpiredAfterSeconds })],
    ["nativelink-workers-arm64", renderWorkerConfig({ considerExpiredAfterSeconds })],
  ])("%s writes its role's NativeLink configuration verbatim, placeholders intact", (fleet, expected) => {
    const { dir } = boot(fleet);
    const written = readFileSync(join(dir, "etc/config.json5"), "utf8");
    expect(written).toBe(expected.trimEnd() + "\n");
    expect(() => parseConfigText(written)).not.toThrow();
    expect(written).toContain(`\${${BOOT_ENV.bucket}:-`);
  });

  it("writes role.env with role, deployment, bucket and region; workers also get the scheduler host and what their drain needs", () => {
    const worker = readFileSync(join(boot("nativelink-workers-arm64").dir, "etc/role.env"), "utf8");
    expect(worker.trim().split("\n")).toEqual([
      "NATIVELINK_ROLE=worker",
      "NATIVELINK_DEPLOYMENT=nativelink",
      "NATIVELINK_BUCKET=nativelink-cas-123456789012-us-west-2",
      "NATIVELINK_REGION=us-west-2",
      "NATIVELINK_SCHEDULER_HOST=scheduler.internal.build.example.com",
      "NATIVELINK_LIFECYCLE_HOOK=nativelink-drain",
      // The scheduler's private listener serves worker_api and admin; the drain asks it to drain MAIN_SCHEDULER's worker.
      "NATIVELINK_ADMIN_URL=http://scheduler.internal.build.example.com:50061/admin",
      "NATIVELINK_SCHEDULER_NAME=MAIN_SCHEDULER",
      "NATIVELINK_WORK_DIRECTORY=/mnt/nativelink/work",
    ]);
    const cas = readFileSync(join(boot("nativelink-cas").dir, "etc/role.env"), "utf8");
    expect(cas).toContain("NATIVELINK_ROLE=cas\n");
    expect(cas).not.toContain("SCHEDULER_HOST");
  });

  it("uses the names BOOT_ENV gives for the values role.env carries", () => {
    expect([BOOT_ENV.bucket, BOOT_ENV.region, BOOT_ENV.schedulerHost]).toEqual(["NATIVELINK_BUCKET", "NATIVELINK_REGION", "NATIVELINK_SCHEDULER_HOST"]);
  });

  it("enables and starts the service once the files exist", () => {
    expect(boot("nativelink-scheduler").systemctl).toEqual([
      "daemon-reload",
      "enable nativelink-bootstrap.service nativelink.service",
      "restart nativelink.service",
    ]);
  });

  it("passes the cluster's instance name and key prefixes to every role", () => {
    const custom = synthCluster({ instanceName: "ci", casKeyPrefix: "blobs/", acKeyPrefix: "results/", cacheExpiration: false });
    const template = Object.values(resources(custom, "aws_launch_template")).find((t) => t.name === "nativelink-scheduler")!;
    const script = evaluateBase64Template(String(template.user_data), references);
    expect(script).toContain(renderSchedulerConfig({ instanceName: "ci", casKeyPrefix: "blobs/", acKeyPrefix: "results/" }).trimEnd());
  });

  it("reports a preset's complaint against the cluster's props", () => {
    expect(() => synthCluster({ casKeyPrefix: "cas" })).toThrow(/^test\/Cluster: invalid prop 'instanceName, casKeyPrefix or acKeyPrefix': .*casKeyPrefix/s);
  });
});
