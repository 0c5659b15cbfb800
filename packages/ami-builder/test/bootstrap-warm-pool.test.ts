import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WORKER_ROLE } from "./helpers/drain.js";
import { startFakeImds, type FakeImds } from "./helpers/fake-imds.js";
import { ROOT_VOLUME, instanceStoreDisk } from "./helpers/fake-tools.js";
import { FakeInstance } from "./helpers/instance.js";

const INSTANCE_ID = "i-0123456789abcdef0";
const GROUP = "ci-workers-x86_64";
const TAGS = { "nativelink:role": "worker", "nativelink:deployment": "ci", "aws:autoscaling:groupName": GROUP };
/** A worker's role.env as the cluster writes it for a fleet with a warm pool. */
const WARM_ROLE = [...WORKER_ROLE, "NATIVELINK_LAUNCH_HOOK=ci-launch"];
const COMPLETE =
  "autoscaling complete-lifecycle-action --lifecycle-action-result CONTINUE --lifecycle-hook-name ci-launch " +
  `--auto-scaling-group-name ${GROUP} --instance-id ${INSTANCE_ID} --region eu-west-1`;
const TARGET_STATE = "autoscaling/target-lifecycle-state";

let imds: FakeImds | undefined;
let instance: FakeInstance | undefined;

afterEach(async () => {
  await imds?.close();
  instance?.remove();
  imds = undefined;
  instance = undefined;
});

/**
 * A worker with one blank instance-store disk and a fake `aws` that records each call and whether, at that moment,
 * the warm-pool marker (which keeps nativelink.service from starting) existed. `awsError` makes it fail with that text.
 */
async function worker(role: readonly string[], targetState: string | undefined): Promise<{ imds: FakeImds; instance: FakeInstance }> {
  imds = await startFakeImds({ tags: TAGS, metadata: { "instance-id": INSTANCE_ID, ...(targetState ? { [TARGET_STATE]: targetState } : {}) } });
  instance = new FakeInstance([ROOT_VOLUME, instanceStoreDisk(1)]);
  instance.writeRoleFile(role);
  const aws = join(instance.bin, "aws");
  writeFileSync(
    aws,
    `#!/usr/bin/env bash
marker=absent; [[ -e "$NATIVELINK_ROOT/run/nativelink/warm-pool" ]] && marker=present
echo "$* (marker $marker)" >>"$FAKE_STATE/aws.log"
if [[ -f "$FAKE_STATE/aws-error" ]]; then cat "$FAKE_STATE/aws-error" >&2; exit 254; fi
`,
  );
  chmodSync(aws, 0o755);
  return { imds, instance };
}

const awsCalls = (target: FakeInstance): string[] =>
  existsSync(join(target.state, "aws.log")) ? readFileSync(join(target.state, "aws.log"), "utf8").split("\n").filter(Boolean) : [];
const marker = (target: FakeInstance): string | undefined => {
  const path = join(target.root, "run/nativelink/warm-pool");
  return existsSync(path) ? readFileSync(path, "utf8").trim() : undefined;
};

/** What a stop and a start from the pool do: mounts and /run forgotten, the instance store blank again. */
function stopAndStart(target: FakeInstance): void {
  target.reboot();
  for (const path of ["labels", "signatures"]) rmSync(join(target.state, path), { recursive: true, force: true });
  rmSync(join(target.root, "run"), { recursive: true, force: true });
}

describe("nativelink-bootstrap with a warm pool (NATIVELINK_LAUNCH_HOOK)", () => {
  it("launch to the pool: prepares the instance, holds NativeLink back, then completes the launch action", async () => {
    const { imds, instance } = await worker(WARM_ROLE, "Warmed:Stopped");
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code, result.stderr).toBe(0);
    expect(instance.diskChanges()).toEqual([
      "mkfs.ext4 -q -L nativelink -m 0 -E nodiscard /dev/nvme1n1",
      `mount -o defaults,noatime /dev/nvme1n1 ${instance.mountPoint}`,
    ]);
    expect(instance.envValues()).toHaveProperty("NATIVELINK_SCHEDULER_HOST", "scheduler.internal.example.com");
    expect(marker(instance)).toBe("Warmed:Stopped");
    // The marker is there before the group hears the instance is ready (and stops it).
    expect(awsCalls(instance)).toEqual([`${COMPLETE} (marker present)`]);
    expect(result.stderr).toMatch(/headed for the warm pool \(Warmed:Stopped\): NativeLink starts when the instance leaves it/);
  });

  it("resume to service: prepares the wiped instance store again, lets NativeLink start, completes the launch action", async () => {
    const { imds, instance } = await worker(WARM_ROLE, "Warmed:Stopped");
    expect((await instance.runBootstrap(imds.endpoint)).code).toBe(0);
    stopAndStart(instance);
    imds.setMetadata(TARGET_STATE, "InService");
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code, result.stderr).toBe(0);
    expect(instance.diskChanges()).toEqual([
      "mkfs.ext4 -q -L nativelink -m 0 -E nodiscard /dev/nvme1n1",
      `mount -o defaults,noatime /dev/nvme1n1 ${instance.mountPoint}`,
    ]);
    expect(marker(instance)).toBeUndefined();
    expect(awsCalls(instance)).toEqual([`${COMPLETE} (marker present)`, `${COMPLETE} (marker absent)`]);
    expect(result.stderr).toMatch(/completed the launch lifecycle action of hook ci-launch: next InService/);
  });

  it("launch straight into service (the pool empty): completes the launch action with no marker", async () => {
    const { imds, instance } = await worker(WARM_ROLE, "InService");
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code, result.stderr).toBe(0);
    expect(marker(instance)).toBeUndefined();
    expect(awsCalls(instance)).toEqual([`${COMPLETE} (marker absent)`]);
  });

  it("without a warm pool: reads no lifecycle state and calls no AWS API, as before", async () => {
    const { imds, instance } = await worker(WORKER_ROLE, "InService");
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code, result.stderr).toBe(0);
    expect(imds.requests.map((request) => request.path)).not.toContain(`/latest/meta-data/${TARGET_STATE}`);
    expect(awsCalls(instance)).toEqual([]);
    expect(marker(instance)).toBeUndefined();
    expect(instance.envFile()).toBeDefined();
  });

  it("a reboot in service finds no launch action waiting and carries on", async () => {
    const { imds, instance } = await worker(WARM_ROLE, "InService");
    instance.writeState(
      "aws-error",
      "An error occurred (ValidationError) when calling the CompleteLifecycleAction operation: " +
        `No active Lifecycle Action found with instance ID ${INSTANCE_ID}`,
    );
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/no launch lifecycle action waits for i-0123456789abcdef0 \(a reboot\): nothing to complete/);
  });

  it("fails, so NativeLink does not start and the hook abandons the instance, when the launch action cannot be completed", async () => {
    const { imds, instance } = await worker(WARM_ROLE, "InService");
    instance.writeState("aws-error", "An error occurred (AccessDenied) when calling the CompleteLifecycleAction operation: not authorized");
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /aws autoscaling complete-lifecycle-action failed \(hook ci-launch, group ci-workers-x86_64\): An error occurred \(AccessDenied\)/,
    );
  });

  it("waits for the target lifecycle state, then fails before touching the disks when it never appears", async () => {
    const { imds, instance } = await worker(WARM_ROLE, undefined);
    setTimeout(() => imds.setMetadata(TARGET_STATE, "Warmed:Stopped"), 1_000);
    const late = await instance.runBootstrap(imds.endpoint, { TARGET_STATE_WAIT_SECONDS: "10" });
    expect(late.code, late.stderr).toBe(0);
    expect(marker(instance)).toBe("Warmed:Stopped");

    imds.setMetadata(TARGET_STATE, undefined);
    stopAndStart(instance);
    const never = await instance.runBootstrap(imds.endpoint, { TARGET_STATE_WAIT_SECONDS: "0" });
    expect(never.code).toBe(1);
    expect(never.stderr).toMatch(/no autoscaling\/target-lifecycle-state in instance metadata after 0 s: cannot tell the warm pool from service/);
    expect(instance.diskChanges()).toEqual([]);
  });

  it("refuses a target state that is neither service nor the pool", async () => {
    const { imds, instance } = await worker(WARM_ROLE, "Terminated");
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/target lifecycle state Terminated at boot: expected InService or Warmed:\*/);
    expect(awsCalls(instance)).toEqual([]);
  });
});
