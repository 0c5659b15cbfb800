import { VCPUS_PER_CAPACITY_UNIT_TAG } from "@nativelink-aws/conventions";
import { z } from "zod";
import type { FleetInventory, Inventory } from "./inventory.js";

const Resource = z.record(z.string(), z.unknown());
const Section = z.record(z.string(), z.record(z.string(), Resource));
const Stack = z
  .object({ resource: Section.default({}), variable: z.record(z.string(), z.object({ default: z.unknown().optional() }).loose()).default({}) })
  .loose();
type StackJson = z.infer<typeof Stack>;

const Group = z
  .object({
    name: z.string(),
    min_size: z.number(),
    max_size: z.number().optional(),
    warm_pool: z.object({ min_size: z.number().optional(), max_group_prepared_capacity: z.number().optional() }).loose().optional(),
    tag: z.array(z.object({ key: z.string(), value: z.string() }).loose()).optional(),
    launch_template: z.object({ id: z.string() }).loose().optional(),
    mixed_instances_policy: z
      .object({
        launch_template: z
          .object({
            launch_template_specification: z.object({ launch_template_id: z.string() }).loose(),
            override: z.array(z.object({ instance_type: z.string(), weighted_capacity: z.string() }).loose()),
          })
          .loose(),
        instances_distribution: z.object({ on_demand_percentage_above_base_capacity: z.number().optional() }).loose(),
      })
      .loose()
      .optional(),
  })
  .loose();

const Template = z
  .object({
    instance_type: z.string().optional(),
    block_device_mappings: z.array(z.object({ ebs: z.object({ volume_size: z.number().optional() }).loose().optional() }).loose()).optional(),
    network_interfaces: z.array(z.object({ associate_public_ip_address: z.string().optional() }).loose()).optional(),
  })
  .loose();

/** S3 publishes this many request metrics for each bucket metrics configuration (billed as custom metrics). */
const S3_REQUEST_METRICS = 16;
/** Metrics the autoscaler publishes per worker fleet, plus FeedErrors once per deployment (@nativelink-aws/autoscaler). */
const AUTOSCALER_METRICS_PER_FLEET = 6;

const of = (stack: StackJson, type: string) => Object.entries(stack.resource[type] ?? {});
const referencedId = (value: string) => /^\$\{[a-z0-9_]+\.([^.}]+)\./.exec(value)?.[1];

/** `${var.x}` resolved to the variable's default, for instance types given as Terraform variables. */
function literal(stack: StackJson, value: string | undefined): string | undefined {
  const variable = value && /^\$\{var\.([a-z0-9_]+)\}$/.exec(value)?.[1];
  return variable ? (stack.variable[variable]?.default as string | undefined) : value;
}

function fleet(stack: StackJson, raw: Record<string, unknown>): FleetInventory {
  const group = Group.parse(raw);
  const templateId = referencedId(
    group.launch_template?.id ?? group.mixed_instances_policy?.launch_template.launch_template_specification.launch_template_id ?? "",
  );
  const template = Template.parse(stack.resource.aws_launch_template?.[templateId ?? ""] ?? {});
  const overrides = group.mixed_instances_policy?.launch_template.override;
  // Without weights a group counts instances; a worker group says how many vCPUs (capacity units) each one is.
  const vcpus = Number(group.tag?.find((tag) => tag.key === VCPUS_PER_CAPACITY_UNIT_TAG)?.value ?? 1);
  const instanceTypes = overrides
    ? overrides.map((o) => ({ instanceType: o.instance_type, weight: Number(o.weighted_capacity) }))
    : [{ instanceType: literal(stack, template.instance_type) ?? "unknown", weight: vcpus }];
  const spot = group.mixed_instances_policy?.instances_distribution.on_demand_percentage_above_base_capacity === 0;
  const name = group.name.replace(/^[a-z0-9-]+?-(cas|scheduler|workers-.+)$/, "$1");
  return {
    name,
    purchase: spot ? "spot" : "on-demand",
    instanceTypes,
    minCapacity: overrides ? group.min_size : group.min_size * vcpus,
    rootVolumeGib: template.block_device_mappings?.[0]?.ebs?.volume_size ?? 8,
    publicIp: template.network_interfaces?.[0]?.associate_public_ip_address !== "false",
    worker: name.startsWith("workers"),
    ...(group.warm_pool ? { warmPoolInstances: idleWarmPool(group) } : {}),
  };
}

/** Instances a warm pool holds while the group is at its minimum: MaxGroupPreparedCapacity (else the maximum) minus it. */
function idleWarmPool(group: z.infer<typeof Group>): number {
  const explicit = group.warm_pool?.max_group_prepared_capacity;
  // -1 is the API's "not set".
  const prepared = explicit !== undefined && explicit >= 0 ? explicit : (group.max_size ?? group.min_size);
  return Math.max(group.warm_pool?.min_size ?? 0, prepared - group.min_size);
}

/** Invocations a month of each Lambda function, from the schedules that target it. */
function lambdaFunctions(stack: StackJson): Inventory["lambdaFunctions"] {
  const rules = Object.fromEntries(of(stack, "aws_cloudwatch_event_rule").map(([id, rule]) => [id, String(rule.schedule_expression ?? "")]));
  return of(stack, "aws_lambda_function").map(([id, fn]) => {
    const perMonth = of(stack, "aws_cloudwatch_event_target")
      .filter(([, target]) => referencedId(String(target.arn)) === id)
      .map(([, target]) => /rate\((\d+) minutes?\)/.exec(rules[referencedId(String(target.rule)) ?? ""] ?? "")?.[1])
      .reduce((sum, minutes) => sum + (minutes ? (730 * 60) / Number(minutes) : 0), 0);
    // A function that polls through the minute (the autoscaler, ~46 s an invocation) or answers an event (~0.3 s).
    const polls = (fn.environment as { variables?: Record<string, string> } | undefined)?.variables?.POLL_INTERVAL_SECONDS !== undefined;
    return { name: String(fn.function_name), invocationsPerMonth: Math.round(perMonth), memoryMb: Number(fn.memory_size ?? 128), seconds: polls ? 46 : 0.3 };
  });
}

/** Reads what a synthesized stack (`cdk.tf.json`) runs; `label` names it in the report. */
export function stackInventory(json: unknown, label: string): Inventory {
  const stack = Stack.parse(json);
  const fleets = of(stack, "aws_autoscaling_group")
    .map(([, group]) => fleet(stack, group))
    .sort((a, b) => a.name.localeCompare(b.name));
  const interfaceEndpointZones = of(stack, "aws_vpc_endpoint")
    .filter(([, endpoint]) => endpoint.vpc_endpoint_type === "Interface")
    .reduce((sum, [, endpoint]) => sum + ((endpoint.subnet_ids as unknown[] | undefined)?.length ?? 0), 0);
  const loadBalancers = of(stack, "aws_lb");
  const functions = lambdaFunctions(stack);
  const autoscaled = functions.some((fn) => fn.name.includes("autoscaler")) ? fleets.filter((f) => f.worker).length : 0;
  return {
    label,
    fleets,
    loadBalancers: loadBalancers.length,
    interfaceEndpointZones,
    natGateways: of(stack, "aws_nat_gateway").length,
    publicIpv4: loadBalancers.reduce((sum, [, lb]) => sum + ((lb.subnets as unknown[] | undefined)?.length ?? 0), 0) + of(stack, "aws_nat_gateway").length,
    lambdaFunctions: functions,
    customMetrics: of(stack, "aws_s3_bucket_metric").length * S3_REQUEST_METRICS + (autoscaled > 0 ? autoscaled * AUTOSCALER_METRICS_PER_FLEET + 1 : 0),
    alarmMetrics: of(stack, "aws_cloudwatch_metric_alarm").reduce(
      (sum, [, alarm]) => sum + ((alarm.metric_query as { metric?: unknown }[] | undefined)?.filter((q) => q.metric).length || 1),
      0,
    ),
    dashboards: of(stack, "aws_cloudwatch_dashboard").length,
  };
}
