// The image's real drain watcher (and the drain worker it runs) against the real worker and scheduler. Stand-ins only
// for what only an instance has: systemd (`systemctl` acting on the worker process, `journalctl` printing its log),
// the AWS CLI (recording its calls) and instance metadata (the fake of the ami-builder tests).
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { imageDirectory } from "@nativelink-aws/ami-builder";
import type { TestCluster } from "./cluster.js";
import type { RunningProcess } from "./processes.js";

const FAKES: Record<string, string> = {
  // Acts on the worker process the suite started, as systemd on nativelink.service.
  systemctl: `
pid="$(cat "$E2E_DRAIN/worker.pid")"
alive() { kill -0 "$pid" 2>/dev/null; }
case "$1" in
  is-active) alive ;;
  show)
    case "$2" in
      --property=MainPID) if alive; then echo "$pid"; else echo 0; fi ;;
      --property=InvocationID) if alive; then echo e2e-invocation; else echo; fi ;;
      *) exit 1 ;;
    esac
    ;;
  stop)
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do alive || exit 0; sleep 0.1; done
    exit 1
    ;;
  *) exit 1 ;;
esac`,
  // NativeLink's log of the current run: the worker's log file.
  journalctl: `
pid="$(cat "$E2E_DRAIN/worker.pid")"
[[ " $* " == *" _SYSTEMD_INVOCATION_ID=e2e-invocation "* && " $* " == *" _PID=$pid "* ]] || exit 0
cat "$(cat "$E2E_DRAIN/worker.log-path")"`,
  // Records the call, answers as a successful AWS CLI with no output.
  aws: "exit 0",
};

export class DrainHarness {
  readonly directory: string;
  watcher: RunningProcess | undefined;

  constructor(private readonly cluster: TestCluster) {
    this.directory = join(cluster.directory, "drain");
    const bin = join(this.directory, "bin");
    mkdirSync(bin, { recursive: true });
    for (const [name, body] of Object.entries(FAKES)) {
      const path = join(bin, name);
      writeFileSync(path, `#!/usr/bin/env bash\nset -euo pipefail\nprintf '%s\\n' "${name} $*" >>"$E2E_DRAIN/calls.log"\n${body.trim()}\n`);
      chmodSync(path, 0o755);
    }
  }

  /**
   * Starts the watcher on the current worker's machine, polling every 0.2 s, as the image's unit runs it: instance
   * metadata at its real address, the scheduler's admin API at role.env's URL.
   */
  start(): RunningProcess {
    const worker = this.cluster.worker;
    writeFileSync(join(this.directory, "worker.pid"), String(worker.pid));
    writeFileSync(join(this.directory, "worker.log-path"), worker.logPath);
    const [command, args] = this.cluster.onWorker([join(imageDirectory(), "bin/nativelink-drain-watcher"), []]);
    this.watcher = this.cluster.processes.start("drain-watcher", command, args, {
      env: {
        PATH: `${join(this.directory, "bin")}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
        E2E_DRAIN: this.directory,
        NATIVELINK_ROOT: this.cluster.workerInstance.instance.root,
        DRAIN_POLL_SECONDS: "0.2",
        DRAIN_GRACE_SECONDS: "1",
      },
    });
    return this.watcher;
  }

  /** What the watcher ran: systemctl, journalctl and aws command lines, in order. */
  calls(): string[] {
    const path = join(this.directory, "calls.log");
    return existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : [];
  }
}
