// The reference stack's three roles on this machine: configurations and role.env from the launch templates' user
// data, /etc/nativelink/env from the image's real bootstrap (against the ami-builder tests' fake instance metadata),
// S3 from moto, the scheduler's metrics through the image's collector configuration. The worker runs on a machine of
// its own (src/worker-machine.ts): the bootstrap's firewall and the image's action wrapper, as an instance has them.
// Only the changes of src/test-only-changes.ts (README.md) differ from what an instance runs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfigText, type NativeLinkConfig } from "@nativelink-aws/nativelink-config";
import { imageDirectory } from "@nativelink-aws/ami-builder";
import { startFakeImds, type FakeImds } from "../../../packages/ami-builder/test/helpers/fake-imds.js";
import { BOOTSTRAP, FakeInstance, type RunResult } from "../../../packages/ami-builder/test/helpers/instance.js";
import { motoEnvironment, startMoto, type MotoServer } from "../../../tools/moto/moto-server.js";
import { MotoBucket } from "./bucket.js";
import { withPrivateHosts, writeHostsFile, type CommandLine } from "./namespaces.js";
import { freePorts } from "./ports.js";
import { ProcessGroup, type RunningProcess } from "./processes.js";
import { synthesizeReferenceStack } from "./reference-stack.js";
import { DeployedStack, type RoleFiles, type TestDeploymentValues } from "./stack.js";
import { mapPort, renderAdaptedConfig, type PortMap } from "./test-only-changes.js";
import { WorkerMachine } from "./worker-machine.js";

/** "Terraform values": what `terraform apply -var base_domain=…` would substitute, for a test deployment. */
export const TEST_DEPLOYMENT: TestDeploymentValues = { variables: { base_domain: "build.e2e.test" }, region: "us-east-1", accountId: "123456789012" };
/** The worker fleet this machine can run: its architecture. */
export const WORKER_FLEET_SUFFIX = "x86_64";
/** The instance id the worker's fake instance metadata reports. */
export const WORKER_INSTANCE_ID = "i-0e2e0e2e0e2e0e2e0";

/** The environment systemd gives `nativelink.service` before its `EnvironmentFile=`. */
const SERVICE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

type Role = "cas" | "scheduler" | "worker";

export interface ClusterBinaries {
  readonly nativelink: string;
  readonly otelcol: string;
}

/** One role's instance: its files from user data, a root for its files (where the bootstrap writes its environment). */
interface RoleInstance {
  readonly files: RoleFiles;
  readonly config: NativeLinkConfig;
  readonly instance: FakeInstance;
  readonly imds: FakeImds;
  /** The worker's: its own network and mount namespaces. */
  readonly machine?: WorkerMachine;
  /** Counts restarts, for distinct log names. */
  starts: number;
}

export class TestCluster {
  readonly processes: ProcessGroup;
  private readonly roles = {} as Record<Role, RoleInstance>;
  cas!: RunningProcess;
  scheduler!: RunningProcess;
  worker!: RunningProcess;
  collector!: RunningProcess;

  private constructor(
    readonly stack: DeployedStack,
    readonly directory: string,
    readonly binaries: ClusterBinaries,
    readonly moto: MotoServer,
    readonly bucket: MotoBucket,
    /** Cluster port → free loopback port ("loopback listeners on free ports"). */
    readonly ports: PortMap,
    /** The collector's OTLP and Prometheus ports, and a port nothing listens on. */
    readonly collectorPorts: { readonly otlp: number; readonly metrics: number; readonly closed: number },
  ) {
    this.processes = new ProcessGroup(join(directory, "logs"));
  }

  /** Synthesizes the stack, boots the three roles' instances and starts CAS, collector, scheduler and worker. */
  static async start(binaries: ClusterBinaries): Promise<TestCluster> {
    const stack = new DeployedStack(synthesizeReferenceStack(), TEST_DEPLOYMENT);
    const directory = mkdtempSync(join(tmpdir(), "nativelink-e2e-"));
    mkdirSync(join(directory, "logs"));
    const roleFiles = { cas: stack.roleFiles("cas"), scheduler: stack.roleFiles("scheduler"), worker: stack.roleFiles("worker", WORKER_FLEET_SUFFIX) };
    const configs = {
      cas: parseConfigText(roleFiles.cas.configText),
      scheduler: parseConfigText(roleFiles.scheduler.configText),
      worker: parseConfigText(roleFiles.worker.configText),
    };
    const clusterPorts = [...new Set(Object.values(configs).flatMap(portsOf))];
    const [otlp, metrics, closed, ...free] = await freePorts(clusterPorts.length + 3);
    const ports = new Map(clusterPorts.map((port, index) => [port, free[index]!]));
    const moto = await startMoto();
    const bucketName = roleFiles.cas.roleEnv.NATIVELINK_BUCKET!;
    const bucket = new MotoBucket(moto.endpoint, bucketName, TEST_DEPLOYMENT.region);
    const cluster = new TestCluster(stack, directory, binaries, moto, bucket, ports, { otlp: otlp!, metrics: metrics!, closed: closed! });
    try {
      await bucket.create();
      writeHostsFile(cluster.hostsFile, [roleFiles.worker.roleEnv.NATIVELINK_SCHEDULER_HOST!, `${bucketName}.localhost`]);
      for (const role of ["cas", "scheduler", "worker"] as const) await cluster.boot(role, roleFiles[role], configs[role]);
      await cluster.startCollector();
      await cluster.startCas();
      await cluster.startScheduler();
      await cluster.startWorker();
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  get hostsFile(): string {
    return join(this.directory, "hosts");
  }

  /** The worker's instance (its root holds /etc/nativelink and /mnt/nativelink), machine and instance metadata. */
  get workerInstance(): {
    readonly instance: FakeInstance;
    readonly imds: FakeImds;
    readonly files: RoleFiles;
    readonly machine: WorkerMachine;
    readonly config: NativeLinkConfig;
  } {
    return { ...this.roles.worker, machine: this.roles.worker.machine! };
  }

  /** The Prometheus page the scheduler's collector serves (what the autoscaler reads). */
  async metrics(): Promise<string> {
    const response = await fetch(`http://127.0.0.1:${this.collectorPorts.metrics}/metrics`);
    if (!response.ok) throw new Error(`the collector answered HTTP ${response.status}`);
    return response.text();
  }

  /**
   * A Bazel flags output of the stack (`bazel_flags`: a developer's, `bazel_flags_ci`: CI's), each `grpcs://HOST[:PORT]`
   * replaced by the loopback port of its load balancer route ("no load balancer").
   */
  bazelFlags(output: "bazel_flags" | "bazel_flags_ci" = "bazel_flags"): string[] {
    return this.stack
      .output(output)
      .split(" ")
      .map((flag) => flag.replace(/grpcs:\/\/\S+/, (endpoint) => `grpc://127.0.0.1:${this.endpointPort(endpoint)}`));
  }

  /** The loopback port a client of `endpoint` (`grpcs://HOST[:PORT]`, as the stack's outputs name it) reaches ("no load balancer"). */
  endpointPort(endpoint: string): number {
    return mapPort(this.ports, this.stack.loadBalancerTarget(endpoint));
  }

  /** The environment moto's clients need ("S3 endpoint and credentials"); `localhost` so the bucket's virtual host resolves. */
  awsEnvironment(): Record<string, string> {
    return { ...motoEnvironment(this.moto.endpoint), AWS_ENDPOINT_URL: this.moto.endpoint.replace("127.0.0.1", "localhost") };
  }

  /** `command` as the CAS or scheduler instance runs it: with the private /etc/hosts ("names in a private /etc/hosts"). */
  onInstance(command: CommandLine): CommandLine {
    return withPrivateHosts(this.hostsFile, command);
  }

  /** `command` as the worker's instance runs it: on its machine ("the worker's own network"). */
  onWorker(command: CommandLine): CommandLine {
    return this.workerInstance.machine.wrap(command);
  }

  async startCas(): Promise<RunningProcess> {
    this.cas = await this.startNativeLink("cas");
    return this.cas;
  }

  async startScheduler(): Promise<RunningProcess> {
    this.scheduler = await this.startNativeLink("scheduler");
    return this.scheduler;
  }

  async startWorker(): Promise<RunningProcess> {
    this.worker = await this.startNativeLink("worker");
    await this.worker.waitForLog(/Worker registered with scheduler/, "its registration with the scheduler");
    return this.worker;
  }

  /** Stops everything it started and removes its files (kept, and their place printed, with NATIVELINK_E2E_KEEP=1). */
  async stop(): Promise<void> {
    await this.processes.stopAll();
    const keep = process.env.NATIVELINK_E2E_KEEP === "1";
    for (const [role, instance] of Object.entries(this.roles)) {
      await (instance.machine ?? instance.imds).close();
      if (keep) process.stderr.write(`tests/e2e: kept the ${role}'s instance root ${instance.instance.root}\n`);
      else instance.instance.remove();
    }
    this.bucket.close();
    await this.moto.stop();
    if (keep) process.stderr.write(`tests/e2e: kept logs and workspace in ${this.directory}\n`);
    else rmSync(this.directory, { recursive: true, force: true });
  }

  /** Runs the image's bootstrap for a role's instance against fake instance metadata: its /etc/nativelink/env. */
  private async boot(role: Role, files: RoleFiles, config: NativeLinkConfig): Promise<void> {
    const tags: Record<string, string> = { "nativelink:role": role, "nativelink:deployment": files.roleEnv.NATIVELINK_DEPLOYMENT! };
    const instance = new FakeInstance();
    instance.writeRoleFile(files.roleEnvLines);
    const result = role === "worker" ? await this.bootWorker(files, config, instance, tags) : await this.bootServer(role, files, config, instance, tags);
    if (result.code !== 0) throw new Error(`nativelink-bootstrap failed for the ${role} (exit ${result.code}):\n${result.stderr}`);
  }

  /** The CAS's and scheduler's bootstrap, against fake instance metadata on a loopback port. */
  private async bootServer(role: Role, files: RoleFiles, config: NativeLinkConfig, instance: FakeInstance, tags: Record<string, string>): Promise<RunResult> {
    const imds = await startFakeImds({ tags });
    this.roles[role] = { files, config, instance, imds, starts: 0 };
    return instance.runBootstrap(imds.endpoint);
  }

  /** The worker's bootstrap runs on the worker's machine, with the real iptables, and finds metadata at its real address. */
  private async bootWorker(files: RoleFiles, config: NativeLinkConfig, instance: FakeInstance, tags: Record<string, string>): Promise<RunResult> {
    tags["aws:autoscaling:groupName"] = this.stack.fleetGroup(files.fleet).groupName;
    const items = { "instance-id": WORKER_INSTANCE_ID, "autoscaling/target-lifecycle-state": "InService" };
    // The fake disk tools, but the real iptables and ip6tables.
    for (const fake of ["iptables", "ip6tables"]) rmSync(join(instance.bin, fake));
    let machine: WorkerMachine;
    try {
      machine = await WorkerMachine.start({
        processes: this.processes,
        directory: join(this.directory, "worker-machine"),
        instance,
        hostsFile: this.hostsFile,
        forwards: this.workerForwards(config),
        metadata: { tags, items },
      });
    } catch (error) {
      instance.remove();
      throw error;
    }
    this.roles.worker = { files, config, instance, imds: machine.imds, machine, starts: 0 };
    const [command, args] = machine.wrap([BOOTSTRAP, []]);
    return instance.run(command, args, { IMDS_RETRIES: "0" });
  }

  /**
   * "the worker's own network": each port the worker's configuration dials (the scheduler's worker API) leads to the
   * port the suite runs it on, and moto's port to moto.
   */
  private workerForwards(config: NativeLinkConfig): Map<number, number> {
    const motoPort = Number(new URL(this.moto.endpoint).port);
    return new Map([...dialledPorts(config).map((port) => [port, mapPort(this.ports, port)] as const), [motoPort, motoPort]]);
  }

  /** The image's collector configuration, unchanged, with an overlay that moves its two endpoints ("collector endpoints"). */
  private async startCollector(): Promise<void> {
    const overlay = join(this.directory, "otelcol-endpoints.yaml");
    writeFileSync(
      overlay,
      [
        'receivers: {otlp: {protocols: {grpc: {endpoint: "127.0.0.1:' + this.collectorPorts.otlp + '"}}}}',
        'exporters: {prometheus: {endpoint: "127.0.0.1:' + this.collectorPorts.metrics + '"}}',
        "",
      ].join("\n"),
    );
    const config = join(imageDirectory(), "otelcol/config.yaml");
    this.collector = this.processes.start("otelcol", this.binaries.otelcol, [`--config=file:${config}`, `--config=file:${overlay}`]);
    await this.collector.waitForLog(/Everything is ready/, "the collector to start");
  }

  private async startNativeLink(role: Role): Promise<RunningProcess> {
    const { instance, config, machine } = this.roles[role];
    this.roles[role].starts += 1;
    const configPath = join(instance.root, "etc/nativelink/config.json5");
    // The worker, on its machine, keeps the stack's ports and paths; its entrypoint is the wrapper's copy.
    const changes = machine ? { entrypoint: machine.actionRunner } : { ports: this.ports };
    writeFileSync(configPath, renderAdaptedConfig(config, changes));
    // "OTLP endpoint and export interval": the scheduler exports to the suite's collector every second; the CAS, which
    // has no collector on its instance, to a port nothing listens on. The worker keeps the bootstrap's
    // http://127.0.0.1:1, where only root could listen.
    const otlp = {
      cas: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${this.collectorPorts.closed}` },
      scheduler: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${this.collectorPorts.otlp}`, OTEL_METRIC_EXPORT_INTERVAL: "1000" },
      worker: {},
    }[role];
    const env = { PATH: SERVICE_PATH, ...instance.envValues(), ...this.awsEnvironment(), ...otlp };
    const starts = this.roles[role].starts;
    const name = starts === 1 ? role : `${role}-${starts}`;
    const nativelink: CommandLine = [this.binaries.nativelink, [configPath]];
    const [command, args] = machine ? machine.wrap(nativelink) : this.onInstance(nativelink);
    const started = this.processes.start(name, command, args, { env, cwd: instance.root });
    for (const address of listenersOf(parseConfigText(renderAdaptedConfig(config, changes)))) {
      await started.waitForLog(new RegExp(`Ready, listening on ${address.replaceAll(".", "\\.")}`), `a listener on ${address}`);
    }
    return started;
  }
}

/** The ports a configuration listens on or dials. */
function portsOf(config: NativeLinkConfig): number[] {
  return [...config.servers.map((server) => Number(server.listener.http.socket_address.split(":").pop())), ...dialledPorts(config)];
}

/** The ports a worker's configuration dials (the scheduler's worker API). */
export function dialledPorts(config: NativeLinkConfig): number[] {
  return (config.workers ?? []).map((worker) => Number(/:(\d+)$/.exec(worker.local.worker_api_endpoint.uri)?.[1]));
}

function listenersOf(config: NativeLinkConfig): string[] {
  return config.servers.map((server) => server.listener.http.socket_address);
}
