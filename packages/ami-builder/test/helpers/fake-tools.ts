import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Stand-ins for the disk tools the bootstrap calls. Each appends its command line to
 * `$FAKE_STATE/calls.log`; their answers come from files under `$FAKE_STATE`:
 * - `lsblk.json`: what `lsblk --json` prints;
 * - `labels/<label>`: the device `blkid -L <label>` finds (mkfs.ext4 -L writes it);
 * - `signatures/<device name>`: devices `blkid -p` finds a filesystem or RAID signature on;
 * - `mounts`: mount points (mount appends, findmnt reads);
 * - `root-bytes`, `disk-bytes`: what `df` reports for the root volume and for a mounted disk;
 * - `assemble-label`: the device `mdadm --assemble --scan` brings back (a RAID after a reboot);
 * - `iptables.rules`, `ip6tables.rules`: the OUTPUT rules `-I` added, one per line, which `-C` looks for;
 * - `sysctl/<key>`: a kernel setting `sysctl -w` wrote (absent: 0, which `sysctl -n` prints); while `sysctl-ignores`
 *   exists, `sysctl -w` succeeds without changing anything (as a kernel that keeps its setting). Never the real one:
 *   the bootstrap's settings are global to the machine the tests run on.
 */
const FIREWALL_FAKE = `
rules="$FAKE_STATE/$(basename "$0").rules"
[[ "$1" == -w ]] && shift
case "$1 $2" in
  "-C OUTPUT") shift 2; grep -qxF -- "$*" "$rules" 2>/dev/null ;;
  "-I OUTPUT") shift 3; printf '%s\\n' "$*" >>"$rules" ;;
  *) exit 2 ;;
esac`;

const FAKES: Record<string, string> = {
  lsblk: `cat "$FAKE_STATE/lsblk.json"`,
  blkid: `
if [[ "$1" == -L ]]; then
  [[ -f "$FAKE_STATE/labels/$2" ]] || exit 2
  cat "$FAKE_STATE/labels/$2"
elif [[ "$1" == -p ]]; then
  [[ -f "$FAKE_STATE/signatures/$(basename "$2")" ]] || exit 2
  echo "$2: TYPE=\\"ext4\\""
else
  exit 2
fi`,
  "mkfs.ext4": `
label="" device="\${*: -1}"
while [[ $# -gt 0 ]]; do
  if [[ "$1" == -L ]]; then label="$2"; shift; fi
  shift
done
mkdir -p "$FAKE_STATE/labels" "$FAKE_STATE/signatures"
[[ -n "$label" ]] && echo "$device" >"$FAKE_STATE/labels/$label"
touch "$FAKE_STATE/signatures/$(basename "$device")"`,
  mdadm: `
if [[ "$1" == --assemble && -f "$FAKE_STATE/assemble-label" ]]; then
  mkdir -p "$FAKE_STATE/labels"
  cp "$FAKE_STATE/assemble-label" "$FAKE_STATE/labels/nativelink"
elif [[ "$1" == --assemble ]]; then
  echo "mdadm: No arrays found" >&2
  exit 1
fi`,
  mount: `echo "\${*: -1}" >>"$FAKE_STATE/mounts"`,
  findmnt: `
[[ "$1" == --mountpoint ]] || exit 2
grep -qxF -- "$2" "$FAKE_STATE/mounts" 2>/dev/null`,
  df: `
path="\${*: -1}"
if grep -qxF -- "$path" "$FAKE_STATE/mounts" 2>/dev/null; then bytes="$(cat "$FAKE_STATE/disk-bytes")"; else bytes="$(cat "$FAKE_STATE/root-bytes")"; fi
printf '     1B-blocks\\n%14s\\n' "$bytes"`,
  iptables: FIREWALL_FAKE,
  ip6tables: FIREWALL_FAKE,
  sysctl: `
mkdir -p "$FAKE_STATE/sysctl"
case "$1" in
  -n) cat "$FAKE_STATE/sysctl/$2" 2>/dev/null || echo 0 ;;
  -q)
    [[ "$2" == -w ]] || exit 2
    shift 2
    [[ -f "$FAKE_STATE/sysctl-ignores" ]] && exit 0
    for setting in "$@"; do echo "\${setting#*=}" >"$FAKE_STATE/sysctl/\${setting%%=*}"; done
    ;;
  *) exit 2 ;;
esac`,
};

/**
 * Stand-ins for what the drain watcher and the drain worker call, recording calls the same way:
 * - `systemctl is-active` answers from `$FAKE_STATE/nativelink-active`; `systemctl stop` sleeps
 *   `$FAKE_STOP_SECONDS`, fails if `stop-fails` exists, else removes `nativelink-active` and records
 *   `(nativelink.service stopped)`, after `(… stopped while its actions ran)` if the main process still has
 *   children or the work directory (the drain worker's `NATIVELINK_ROOT` + `NATIVELINK_WORK_DIRECTORY`) entries;
 *   while NativeLink is active, `systemctl show --property=MainPID` prints
 *   `main-pid` (a real process the test started, whose children are the "actions"; else 9999999, above any
 *   pid_max, so no process) and `--property=InvocationID` a fixed id;
 * - `journalctl _SYSTEMD_INVOCATION_ID=<that id> _PID=<that MainPID>` prints `nativelink.log` (NativeLink's log, as the
 *   test writes it);
 * - `aws autoscaling describe-auto-scaling-instances` prints `asg-name` (AccessDenied without it); any other
 *   `aws autoscaling SUBCOMMAND` fails with the text of `aws-error-SUBCOMMAND` when it exists (exit 254, as the
 *   AWS CLI v2 does for service errors).
 */
const DRAIN_FAKES: Record<string, string> = {
  systemctl: `
case "$1" in
  is-active) [[ -f "$FAKE_STATE/nativelink-active" ]] ;;
  show)
    if [[ ! -f "$FAKE_STATE/nativelink-active" ]]; then [[ "$2" == --property=MainPID ]] && echo 0 || echo; exit 0; fi
    case "$2" in
      --property=MainPID) cat "$FAKE_STATE/main-pid" 2>/dev/null || echo 9999999 ;;
      --property=InvocationID) echo fake-invocation-id ;;
      *) exit 1 ;;
    esac
    ;;
  stop)
    sleep "\${FAKE_STOP_SECONDS:-0}"
    [[ ! -f "$FAKE_STATE/stop-fails" ]] || { echo "Job for $2 failed." >&2; exit 1; }
    work="\${NATIVELINK_ROOT:-}\${NATIVELINK_WORK_DIRECTORY:-/nonexistent}"
    if { [[ -f "$FAKE_STATE/main-pid" ]] && pgrep -P "$(cat "$FAKE_STATE/main-pid")" >/dev/null; } || [[ -n "$(ls -A "$work" 2>/dev/null)" ]]; then
      echo "($2 stopped while its actions ran)" >>"$FAKE_STATE/calls.log"
    fi
    rm -f "$FAKE_STATE/nativelink-active"
    echo "($2 stopped)" >>"$FAKE_STATE/calls.log"
    ;;
  *) exit 1 ;;
esac`,
  journalctl: `
main_pid="$(cat "$FAKE_STATE/main-pid" 2>/dev/null || echo 9999999)"
[[ " $* " == *" _SYSTEMD_INVOCATION_ID=fake-invocation-id "* && " $* " == *" _PID=$main_pid "* ]] || exit 0
cat "$FAKE_STATE/nativelink.log" 2>/dev/null || true`,
  aws: `
[[ "$1" == autoscaling ]] || exit 252
if [[ "$2" == describe-auto-scaling-instances ]]; then
  [[ -f "$FAKE_STATE/asg-name" ]] || { echo "An error occurred (AccessDenied) when calling the DescribeAutoScalingInstances operation" >&2; exit 254; }
  cat "$FAKE_STATE/asg-name"
elif [[ -f "$FAKE_STATE/aws-error-$2" ]]; then
  cat "$FAKE_STATE/aws-error-$2" >&2
  exit 254
fi`,
};

function writeFakes(directory: string, fakes: Record<string, string>): void {
  mkdirSync(directory, { recursive: true });
  for (const [name, body] of Object.entries(fakes)) {
    const path = join(directory, name);
    const record = `printf '%s\\n' "${name} $*" >>"$FAKE_STATE/calls.log"`;
    writeFileSync(path, `#!/usr/bin/env bash\nset -euo pipefail\n${record}\n${body.trim()}\n`);
    chmodSync(path, 0o755);
  }
}

/** Writes the fake disk tools into `directory` (to go first on PATH). */
export function writeFakeTools(directory: string): void {
  writeFakes(directory, FAKES);
}

/** Writes the drain watcher's fake `systemctl`, `journalctl` and `aws` into `directory` (to go first on PATH). */
export function writeDrainFakeTools(directory: string): void {
  writeFakes(directory, DRAIN_FAKES);
}

/** One block device as `lsblk --json --paths --output NAME,TYPE,MODEL,FSTYPE,MOUNTPOINT` prints it. */
export interface BlockDevice {
  readonly name: string;
  readonly type: "disk" | "part" | "raid0";
  readonly model: string | null;
  readonly fstype: string | null;
  readonly mountpoint: string | null;
  readonly children?: readonly BlockDevice[];
}

export const EBS_MODEL = "Amazon Elastic Block Store";
export const INSTANCE_STORE_MODEL = "Amazon EC2 NVMe Instance Storage";

/** The root EBS volume every instance has: never a candidate. */
export const ROOT_VOLUME: BlockDevice = {
  name: "/dev/nvme0n1",
  type: "disk",
  model: EBS_MODEL,
  fstype: null,
  mountpoint: null,
  children: [{ name: "/dev/nvme0n1p1", type: "part", model: null, fstype: "ext4", mountpoint: "/" }],
};

/** A blank instance-store disk, as on a fresh instance. */
export function instanceStoreDisk(index: number, overrides: Partial<BlockDevice> = {}): BlockDevice {
  return { name: `/dev/nvme${index}n1`, type: "disk", model: INSTANCE_STORE_MODEL, fstype: null, mountpoint: null, ...overrides };
}
