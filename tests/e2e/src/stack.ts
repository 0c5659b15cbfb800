// What the suite reads from the synthesized stack, with Terraform's values substituted the way `terraform apply`
// would: variables (base_domain given, the others at their defaults), the region and account, bucket names.
import { evaluateBase64Template } from "../../../packages/constructs/test/terraform-string.js";
import type { TerraformJson } from "./reference-stack.js";

/** The values Terraform would know at apply time, for a test deployment. */
export interface TestDeploymentValues {
  /** `-var` values; other variables take their defaults. */
  readonly variables: Readonly<Record<string, string>>;
  readonly region: string;
  readonly accountId: string;
}

/** One fleet's launch template: the files its user data writes, by path. */
export interface LaunchTemplateFiles {
  readonly name: string;
  readonly files: ReadonlyMap<string, string>;
}

/** The role files of one fleet, as its user data writes them. */
export interface RoleFiles {
  readonly fleet: string;
  /** `/etc/nativelink/config.json5`. */
  readonly configText: string;
  /** `/etc/nativelink/role.env`, as lines. */
  readonly roleEnvLines: readonly string[];
  readonly roleEnv: Readonly<Record<string, string>>;
}

/** A target group's health check, as the load balancer sends it. */
export interface TargetGroupCheck {
  readonly name: string;
  readonly port: number;
  readonly protocolVersion: string;
  readonly path: string;
  readonly matcher: string;
}

/** The port of a `grpcs://` URL without one: the load balancer's HTTPS listener (gRPC over TLS has no default of its own). */
const GRPCS_DEFAULT_PORT = 443;

export const CONFIG_FILE = "/etc/nativelink/config.json5";
export const ROLE_FILE = "/etc/nativelink/role.env";

/** The synthesized stack with Terraform's references resolved to test values. */
export class DeployedStack {
  readonly references: Readonly<Record<string, string>>;

  constructor(
    readonly json: TerraformJson,
    values: TestDeploymentValues,
  ) {
    this.references = terraformReferences(json, values);
  }

  /** A string attribute with its `${reference}`s substituted; an unknown reference is an error. */
  resolve(text: string): string {
    return text.replace(/\$\{([^}]+)\}/g, (_, reference: string) => {
      const value = this.references[reference];
      if (value === undefined) throw new Error(`cannot resolve the Terraform expression \${${reference}}: add it to the suite's references (src/stack.ts)`);
      return value;
    });
  }

  /** A stack output, resolved. */
  output(name: string): string {
    const output = this.json.output?.[name];
    if (output === undefined) throw new Error(`the stack has no output ${name}`);
    return this.resolve(String(output.value));
  }

  /** `terraform output -json` of the stack: the outputs whose values the suite can resolve. */
  terraformOutputs(): Record<string, { value: unknown; type: string; sensitive: boolean }> {
    const outputs: Record<string, { value: unknown; type: string; sensitive: boolean }> = {};
    for (const [name, output] of Object.entries(this.json.output ?? {})) {
      try {
        const value = typeof output.value === "string" ? this.resolve(output.value) : output.value;
        outputs[name] = { value, type: typeof value === "boolean" ? "bool" : "string", sensitive: false };
      } catch {
        // Ids of resources only AWS would create (VPC, zones, groups): nothing the suite reads.
      }
    }
    return outputs;
  }

  /** Each launch template's user data, evaluated, as the files its here-documents write. */
  launchTemplates(): LaunchTemplateFiles[] {
    return Object.values(this.json.resource.aws_launch_template ?? {}).map((template) => {
      const script = evaluateBase64Template(String(template.user_data), { ...this.references });
      const unresolved = /<((?:var|data|aws_[a-z0-9_]+)\.[^>\s]+)>/.exec(script);
      if (unresolved) throw new Error(`user data of ${String(template.name)} references ${unresolved[1]}, which the suite cannot resolve (src/stack.ts)`);
      const files = new Map<string, string>();
      for (const match of script.matchAll(/^cat > (\S+) <<'(\w+)'\n([\s\S]*?)\n\2$/gm)) files.set(match[1]!, `${match[3]!}\n`);
      return { name: String(template.name), files };
    });
  }

  /** The role files of the fleet whose role.env says `role` (and whose name ends with `suffix`, for workers). */
  roleFiles(role: "cas" | "scheduler" | "worker", suffix = ""): RoleFiles {
    const matching = this.launchTemplates().filter((template) => {
      const roleEnv = parseRoleEnv(template.files.get(ROLE_FILE) ?? "");
      return roleEnv.NATIVELINK_ROLE === role && template.name.endsWith(suffix);
    });
    if (matching.length !== 1) throw new Error(`expected one launch template for role ${role}${suffix ? ` (*${suffix})` : ""}, found ${matching.length}`);
    const [template] = matching as [LaunchTemplateFiles];
    const configText = template.files.get(CONFIG_FILE);
    const roleEnvText = template.files.get(ROLE_FILE);
    if (configText === undefined || roleEnvText === undefined) throw new Error(`user data of ${template.name} writes no ${CONFIG_FILE} or ${ROLE_FILE}`);
    const roleEnvLines = roleEnvText.trim().split("\n");
    return { fleet: template.name, configText, roleEnvLines, roleEnv: parseRoleEnv(roleEnvText) };
  }

  /** Every target group's health check. */
  targetGroupChecks(): TargetGroupCheck[] {
    return Object.values(this.json.resource.aws_lb_target_group ?? {}).map((group) => {
      const check = group.health_check as { path: string; matcher: string; protocol: string; enabled: boolean };
      if (!check?.enabled || check.protocol !== "HTTP") throw new Error(`target group ${String(group.name)} has no enabled HTTP health check`);
      return { name: String(group.name), port: Number(group.port), protocolVersion: String(group.protocol_version), path: check.path, matcher: check.matcher };
    });
  }

  /**
   * `HOST:LISTENER_PORT` → target group port, from the load balancer's listener rules: the same host name can lead to
   * different targets on different listeners (`cas.` on 443 to the readers' port, on 8443 to the writers').
   */
  loadBalancerRoutes(): Map<string, number> {
    const groups = this.json.resource.aws_lb_target_group ?? {};
    const listeners = this.json.resource.aws_lb_listener ?? {};
    const routes = new Map<string, number>();
    for (const [id, rule] of Object.entries(this.json.resource.aws_lb_listener_rule ?? {})) {
      const hosts = (rule.condition as { host_header?: { values: string[] } }[]).flatMap((condition) => condition.host_header?.values ?? []);
      const target = /^\$\{aws_lb_target_group\.([^.]+)\.arn\}$/.exec(String((rule.action as { target_group_arn?: string }[])[0]?.target_group_arn));
      const listener = /^\$\{aws_lb_listener\.([^.]+)\.arn\}$/.exec(String(rule.listener_arn));
      const group = target ? groups[target[1]!] : undefined;
      if (!group) continue;
      const listenerPort = listener ? listeners[listener[1]!]?.port : undefined;
      if (listenerPort === undefined) throw new Error(`listener rule ${id} names no listener of the stack (${String(rule.listener_arn)})`);
      for (const host of hosts) {
        const key = `${this.resolve(host)}:${Number(listenerPort)}`;
        // The ALB would take the one with the lowest priority number; the suite does not model priorities.
        if (routes.has(key)) throw new Error(`two listener rules route ${key} (the second is ${id}): the suite cannot tell which target it reaches`);
        routes.set(key, Number(group.port));
      }
    }
    return routes;
  }

  /** The target group port the load balancer forwards `endpoint` (`grpcs://HOST[:PORT]`, as the outputs name it) to. */
  loadBalancerTarget(endpoint: string): number {
    const url = new URL(endpoint);
    if (url.protocol !== "grpcs:") throw new Error(`${endpoint} is not a grpcs:// endpoint of the load balancer`);
    const key = `${url.hostname}:${url.port || GRPCS_DEFAULT_PORT}`;
    const port = this.loadBalancerRoutes().get(key);
    if (port === undefined) throw new Error(`the load balancer has no listener rule for ${key} (${endpoint})`);
    return port;
  }

  /** The Auto Scaling group of a fleet's launch template, and the names of the group's termination lifecycle hooks. */
  fleetGroup(fleet: string): { groupName: string; terminationHooks: string[] } {
    const templateId = Object.entries(this.json.resource.aws_launch_template ?? {}).find(([, template]) => template.name === fleet)?.[0];
    const [groupId, group] =
      Object.entries(this.json.resource.aws_autoscaling_group ?? {}).find(([, candidate]) =>
        JSON.stringify(candidate).includes(`\${aws_launch_template.${templateId}.id}`),
      ) ?? [];
    if (!templateId || !groupId || !group) throw new Error(`no Auto Scaling group launches ${fleet}`);
    const terminationHooks = Object.values(this.json.resource.aws_autoscaling_lifecycle_hook ?? {})
      .filter(
        (hook) =>
          hook.autoscaling_group_name === `\${aws_autoscaling_group.${groupId}.name}` && hook.lifecycle_transition === "autoscaling:EC2_INSTANCE_TERMINATING",
      )
      .map((hook) => this.resolve(String(hook.name)));
    return { groupName: this.resolve(String(group.name)), terminationHooks };
  }

  /** The expiration rules of the bucket named `bucketName`: rule id → key prefix. */
  expirationPrefixes(bucketName: string): Record<string, string> {
    const prefixes: Record<string, string> = {};
    for (const lifecycle of Object.values(this.json.resource.aws_s3_bucket_lifecycle_configuration ?? {})) {
      if (this.resolve(String(lifecycle.bucket)) !== bucketName) continue;
      for (const rule of lifecycle.rule as { id: string; expiration?: unknown[]; filter?: { prefix?: string }[] }[]) {
        if (rule.expiration) prefixes[rule.id] = rule.filter?.[0]?.prefix ?? "";
      }
    }
    return prefixes;
  }
}

/** `KEY=value` lines. */
export function parseRoleEnv(text: string): Record<string, string> {
  const entries = text
    .split("\n")
    .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
    .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]);
  return Object.fromEntries(entries);
}

/** What `terraform apply` would put in place of each reference the suite meets. */
function terraformReferences(json: TerraformJson, values: TestDeploymentValues): Record<string, string> {
  const references: Record<string, string> = {};
  for (const [name, variable] of Object.entries(json.variable ?? {})) {
    const value = values.variables[name] ?? (typeof variable.default === "string" ? variable.default : undefined);
    if (value !== undefined) references[`var.${name}`] = value;
  }
  for (const id of Object.keys(json.data?.aws_region ?? {})) {
    references[`data.aws_region.${id}.region`] = values.region;
    references[`data.aws_region.${id}.name`] = values.region;
  }
  for (const id of Object.keys(json.data?.aws_caller_identity ?? {})) references[`data.aws_caller_identity.${id}.account_id`] = values.accountId;
  // Bucket names are templates of the references above.
  const resolveWith = (text: string) => text.replace(/\$\{([^}]+)\}/g, (whole, reference: string) => references[reference] ?? whole);
  for (const [id, bucket] of Object.entries(json.resource.aws_s3_bucket ?? {})) {
    const name = resolveWith(String(bucket.bucket));
    references[`aws_s3_bucket.${id}.bucket`] = name;
    references[`aws_s3_bucket.${id}.id`] = name;
  }
  return references;
}
