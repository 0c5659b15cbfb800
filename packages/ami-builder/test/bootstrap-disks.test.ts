import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeImds, type FakeImds } from "./helpers/fake-imds.js";
import { ROOT_VOLUME, instanceStoreDisk } from "./helpers/fake-tools.js";
import { FakeInstance } from "./helpers/instance.js";

const GIB = 1024 ** 3;
const WORKER_ROLE = [
  "NATIVELINK_ROLE=worker",
  "NATIVELINK_DEPLOYMENT=nativelink",
  "NATIVELINK_BUCKET=nativelink-cas-123456789012",
  "NATIVELINK_REGION=us-west-2",
  "NATIVELINK_SCHEDULER_HOST=scheduler.internal.example.com",
];

let imds: FakeImds;
let instance: FakeInstance;

beforeEach(async () => {
  imds = await startFakeImds({ tags: { "nativelink:role": "worker", "nativelink:deployment": "nativelink", Name: "worker" } });
});

afterEach(async () => {
  await imds.close();
  instance.remove();
});

function workerWith(disks: number): FakeInstance {
  const created = new FakeInstance([ROOT_VOLUME, ...Array.from({ length: disks }, (_, index) => instanceStoreDisk(index + 1))]);
  created.writeRoleFile(WORKER_ROLE);
  return created;
}

describe("nativelink-bootstrap: instance-store disks", () => {
  it("uses a directory on the root volume, with a warning, when there is no instance-store disk", async () => {
    instance = workerWith(0);
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/warning: no unused NVMe instance-store disk: the cache lives on the root volume/);
    expect(instance.diskChanges()).toEqual([]);
    // Half of the root volume's 30 GiB: the OS lives there too.
    expect(instance.envValues().NATIVELINK_WORKER_CACHE_BYTES).toBe(String(15 * GIB));
  });

  it("formats one disk as ext4 with the nativelink label and mounts it", async () => {
    instance = workerWith(1);
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code, result.stderr).toBe(0);
    expect(instance.diskChanges()).toEqual([
      "mkfs.ext4 -q -L nativelink -m 0 -E nodiscard /dev/nvme1n1",
      `mount -o defaults,noatime /dev/nvme1n1 ${instance.mountPoint}`,
    ]);
    // 80% of the disk, in bytes (the original computed KiB).
    expect(instance.envValues().NATIVELINK_WORKER_CACHE_BYTES).toBe(String(800 * GIB));
  });

  it.each([2, 4])("builds a RAID0 of %i disks, then formats and mounts it", async (disks) => {
    instance = workerWith(disks);
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code, result.stderr).toBe(0);
    const members = Array.from({ length: disks }, (_, index) => `/dev/nvme${index + 1}n1`).join(" ");
    expect(instance.diskChanges()).toEqual([
      `mdadm --create /dev/md/nativelink --run --level=0 --raid-devices=${disks} ${members}`,
      "mkfs.ext4 -q -L nativelink -m 0 -E nodiscard /dev/md/nativelink",
      `mount -o defaults,noatime /dev/md/nativelink ${instance.mountPoint}`,
    ]);
  });

  it("is a no-op the second time: nothing formatted, assembled or mounted again, same env file", async () => {
    instance = workerWith(2);
    expect((await instance.runBootstrap(imds.endpoint)).code).toBe(0);
    const firstEnv = instance.envFile();
    const changesBefore = instance.diskChanges().length;
    const second = await instance.runBootstrap(imds.endpoint);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/already mounted: keeping its data/);
    expect(instance.diskChanges()).toHaveLength(changesBefore);
    expect(instance.envFile()).toBe(firstEnv);
  });

  it("after a reboot, mounts its labelled filesystem again without formatting", async () => {
    instance = workerWith(1);
    expect((await instance.runBootstrap(imds.endpoint)).code).toBe(0);
    instance.reboot();
    // Now lsblk sees the ext4 filesystem the first boot made.
    instance.setDevices([ROOT_VOLUME, instanceStoreDisk(1, { fstype: "ext4" })]);
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code, result.stderr).toBe(0);
    expect(instance.diskChanges()).toEqual([`mount -o defaults,noatime /dev/nvme1n1 ${instance.mountPoint}`]);
  });

  it("after a reboot, assembles the RAID it made and mounts it without formatting", async () => {
    instance = workerWith(0);
    instance.setDevices([ROOT_VOLUME, instanceStoreDisk(1, { fstype: "linux_raid_member" }), instanceStoreDisk(2, { fstype: "linux_raid_member" })]);
    instance.writeState("assemble-label", "/dev/md127\n");
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code, result.stderr).toBe(0);
    expect(instance.diskChanges()).toEqual(["mdadm --assemble --scan", `mount -o defaults,noatime /dev/md127 ${instance.mountPoint}`]);
  });

  it("never formats a disk that is mounted, partitioned, formatted or carries a signature lsblk missed", async () => {
    instance = workerWith(0);
    instance.setDevices([
      ROOT_VOLUME,
      instanceStoreDisk(1, { mountpoint: "/data" }),
      instanceStoreDisk(2, { children: [{ name: "/dev/nvme2n1p1", type: "part", model: null, fstype: "xfs", mountpoint: null }] }),
      instanceStoreDisk(3, { fstype: "xfs" }),
      instanceStoreDisk(4),
      instanceStoreDisk(5),
      // An attached EBS volume is not instance storage.
      { name: "/dev/nvme6n1", type: "disk", model: "Amazon Elastic Block Store", fstype: null, mountpoint: null },
    ]);
    instance.writeState("signatures/nvme4n1", "");
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/nvme4n1 carries a filesystem or RAID signature: leaving it alone/);
    expect(instance.diskChanges()).toEqual([
      "mkfs.ext4 -q -L nativelink -m 0 -E nodiscard /dev/nvme5n1",
      `mount -o defaults,noatime /dev/nvme5n1 ${instance.mountPoint}`,
    ]);
  });

  it("fails, naming the tool, when lsblk cannot list the disks", async () => {
    instance = workerWith(1);
    instance.writeState("lsblk.json", "not json");
    const result = await instance.runBootstrap(imds.endpoint);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/cannot parse lsblk's JSON output/);
    expect(instance.diskChanges()).toEqual([]);
  });
});
