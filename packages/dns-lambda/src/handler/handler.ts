import { describeGroupInstances, describeInstances, readRecord, upsertRecord, type AwsClients } from "./aws.js";
import type { HandlerConfig } from "./config.js";
import { decide, type Decision } from "./decision.js";
import { logJson, type LogEntry } from "@nativelink-aws/conventions/lambda-handler";
import { InvalidEventError, parseTrigger, type Trigger } from "./trigger.js";

/** What the invocation did and why; also the function's return value. */
export interface HandlerResult {
  readonly outcome: Decision["outcome"];
  readonly recordName: string;
  readonly hostedZoneId: string;
  readonly ips: readonly string[];
  readonly previousIps: readonly string[];
  readonly reason: string;
  readonly trigger: string;
  /** Route 53's change id when a change was sent. */
  readonly changeId?: string;
}

export interface HandlerDependencies {
  readonly config: HandlerConfig;
  readonly clients: AwsClients;
  /** Where structured logs go. @default one JSON line per entry on stdout */
  readonly log?: (entry: LogEntry) => void;
}

/** The subset of the Lambda context this handler reads. */
export interface InvocationContext {
  readonly awsRequestId?: string;
}

export type SchedulerDnsHandler = (event: unknown, context?: InvocationContext) => Promise<HandlerResult>;

/** Parse → decide → act. Dependencies are injected so tests can run it against moto with their own clients. */
export function createHandler(dependencies: HandlerDependencies): SchedulerDnsHandler {
  const { config, clients } = dependencies;
  const log = dependencies.log ?? logJson;
  return async (event, context) => {
    const requestId = context?.awsRequestId;
    let trigger: Trigger;
    try {
      trigger = parseTrigger(event);
      checkGroup(trigger, config.schedulerAutoScalingGroupName);
    } catch (error) {
      log({ level: "error", message: "rejected event; Route 53 not called", requestId, error: String(error) });
      throw error;
    }

    const groupInstances = await describeGroupInstances(clients, config.schedulerAutoScalingGroupName);
    if (groupInstances === null) {
      const error = new Error(`Auto Scaling group "${config.schedulerAutoScalingGroupName}" not found: check SCHEDULER_ASG_NAME; the record was left as it is`);
      log({ level: "error", message: "group not found; Route 53 not changed", requestId, trigger: trigger.description, error: error.message });
      throw error;
    }
    const [ec2Instances, currentRecord] = await Promise.all([
      describeInstances(
        clients,
        groupInstances.map((instance) => instance.instanceId),
      ),
      readRecord(clients, config.hostedZoneId, config.recordName),
    ]);
    const decision = decide({
      groupInstances,
      ec2Instances,
      terminatingInstanceIds: trigger.terminatingInstanceIds,
      currentRecord,
      recordTtlSeconds: config.recordTtlSeconds,
    });

    let changeId: string | undefined;
    if (decision.action === "upsert") {
      const change = await upsertRecord(clients, {
        hostedZoneId: config.hostedZoneId,
        recordName: config.recordName,
        ttlSeconds: config.recordTtlSeconds,
        ips: decision.ips,
        comment: `nativelink scheduler-dns: ${trigger.description}`,
      });
      changeId = change.changeId;
    }

    const result: HandlerResult = {
      outcome: decision.outcome,
      recordName: config.recordName,
      hostedZoneId: config.hostedZoneId,
      ips: decision.ips,
      previousIps: decision.previousIps,
      reason: decision.reason,
      trigger: trigger.description,
      ...(changeId === undefined ? {} : { changeId }),
    };
    log({
      level: decision.outcome === "no-live-scheduler" ? "warn" : "info",
      message:
        decision.outcome === "updated" ? "record updated" : decision.outcome === "unchanged" ? "record already correct" : "no live scheduler; record kept",
      requestId,
      ...result,
      liveInstanceIds: decision.liveInstanceIds,
      excluded: decision.excluded,
    });
    return result;
  };
}

function checkGroup(trigger: Trigger, schedulerGroup: string): void {
  const other = trigger.autoScalingGroupNames.find((name) => name !== schedulerGroup);
  if (other !== undefined) {
    throw new InvalidEventError(
      `The event is for Auto Scaling group "${other}", but this function keeps the record of "${schedulerGroup}": check the rule or topic that routed it here.`,
    );
  }
}
