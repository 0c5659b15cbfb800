// The local CAS proxy of `nativelink-aws local-proxy init`, written by the real CLI into the suite's Bazel workspace
// and started by the `tools/bazel` wrapper it writes, against the cluster's bucket.
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { promisify } from "node:util";
import { parseConfigText } from "@nativelink-aws/nativelink-config";
import type { BazelWorkspace } from "./bazel.js";
import { TEST_DEPLOYMENT, type TestCluster } from "./cluster.js";
import { freePorts } from "./ports.js";
import { descendantPids, stripAnsi } from "./processes.js";
import { renderAdaptedConfig } from "./test-only-changes.js";

const execFileAsync = promisify(execFile);
/** The CLI as npm installs it: its package's `bin`. */
const CLI = join(createRequire(import.meta.url).resolve("@nativelink-aws/cli/package.json"), "../dist/main.js");
const CONFIG_FILE = "tools/nativelink-local-cas.json5";

export class LocalProxy {
  private constructor(
    private readonly cluster: TestCluster,
    private readonly bazel: BazelWorkspace,
    private readonly stateDirectory: string,
    private readonly port: number,
  ) {}

  /** Runs `nativelink-aws local-proxy init --outputs <the stack's outputs> --port <free port>` in the workspace. */
  static async init(cluster: TestCluster, bazel: BazelWorkspace): Promise<LocalProxy> {
    const [port] = await freePorts(1);
    const stateDirectory = join(cluster.directory, "local-proxy");
    mkdirSync(stateDirectory, { recursive: true });
    const outputs = join(stateDirectory, "outputs.json");
    writeFileSync(outputs, JSON.stringify(cluster.stack.terraformOutputs(), null, 2));
    await execFileAsync(process.execPath, [CLI, "local-proxy", "init", "--outputs", outputs, "--port", String(port), "--dir", bazel.directory], {
      env: { PATH: process.env.PATH, HOME: stateDirectory, AWS_REGION: TEST_DEPLOYMENT.region },
    });
    // "S3 over plain HTTP": the generated configuration, changed as the cluster's are.
    const configPath = join(bazel.directory, CONFIG_FILE);
    writeFileSync(configPath, renderAdaptedConfig(parseConfigText(readFileSync(configPath, "utf8")), {}));
    // NATIVELINK_BIN for the wrapper: NativeLink with the private /etc/hosts that resolves the bucket's virtual host.
    const [command, args] = cluster.onInstance([cluster.binaries.nativelink, []]);
    const launcher = join(stateDirectory, "nativelink");
    writeFileSync(launcher, `#!/bin/sh\nexec ${[command, ...args].map((word) => `'${word}'`).join(" ")} "$@"\n`);
    chmodSync(launcher, 0o755);
    return new LocalProxy(cluster, bazel, stateDirectory, port!);
  }

  /** What a developer's shell would hold: NativeLink's location, AWS credentials (moto's), the wrapper's state. */
  environment(): NodeJS.ProcessEnv {
    return { ...this.cluster.awsEnvironment(), NATIVELINK_BIN: join(this.stateDirectory, "nativelink"), NATIVELINK_LOCAL_CAS_STATE_DIR: this.stateDirectory };
  }

  /**
   * The stack's Bazel flags without the cluster's endpoints and instance name, as in a workspace without the stack's
   * .bazelrc lines: the wrapper adds `--remote_cache=grpc://localhost:PORT` and `--remote_instance_name`.
   */
  bazelFlags(): string[] {
    return this.cluster.bazelFlags().filter((flag) => !/^--remote_(cache|executor|instance_name)=/.test(flag));
  }

  log(): string {
    const path = join(this.stateDirectory, `local-cas-${this.port}.log`);
    return existsSync(path) ? stripAnsi(readFileSync(path, "utf8")) : "";
  }

  /** Stops the CAS the wrapper started (its pid file) and removes the wrapper from the workspace. */
  async stop(): Promise<void> {
    const pidFile = join(this.stateDirectory, `local-cas-${this.port}.pid`);
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, "utf8"));
      for (const child of [...descendantPids(pid), pid]) {
        try {
          process.kill(child, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
    }
    rmSync(join(this.bazel.directory, "tools"), { recursive: true, force: true });
  }
}
