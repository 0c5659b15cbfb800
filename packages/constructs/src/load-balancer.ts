import { Lb } from "@cdktf/provider-aws/lib/lb/index.js";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener/index.js";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule/index.js";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group/index.js";
import type { ITerraformDependable } from "./cdktf.js";
import { Construct } from "constructs";
import { NativeLinkPropError } from "./errors.js";
import { deploymentTags, physicalName } from "./names.js";

/** TLS 1.3 policies an HTTPS listener may use (TLS 1.3 with 1.2 fallback, or TLS 1.3 only). */
export const TLS13_SSL_POLICIES = [
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
] as const;

/**
 * What the target groups ask each instance: a real gRPC method with an empty request, which NativeLink 1.6.6 answers
 * with grpc-status 0 (OK) on every listener that serves Bazel. The ALB's default check (`/AWS.ALB/healthcheck`,
 * expecting UNIMPLEMENTED = 12) does not work: NativeLink answers an unknown method with HTTP 404 and no grpc-status.
 */
export const GRPC_HEALTH_CHECK = { path: "/build.bazel.remote.execution.v2.Capabilities/GetCapabilities", matcher: "0" } as const;

export interface GrpcRoute {
  /** Short id used in construct ids and physical names, e.g. `cas`. */
  readonly id: string;
  /** Host header that selects this route, e.g. `cas.example.com`. */
  readonly hostName: string;
  /** Instance port NativeLink listens on. */
  readonly port: number;
  /**
   * Physical name of the route's target group (at most 32 characters).
   * @default "<name>-<id>-grpc"
   */
  readonly targetGroupName?: string;
}

/** One HTTPS listener of the load balancer and the hosts it routes. */
export interface GrpcListener {
  /** Short id used in construct ids, e.g. `readers`. */
  readonly id: string;
  /** The port clients connect to. */
  readonly port: number;
  /** Host-based routes to target groups, in priority order. */
  readonly routes: GrpcRoute[];
  /**
   * ARN of the trust store whose CAs (and revocation lists) decide which client certificates this listener accepts:
   * mutual TLS in verify mode, client certificate expiry not ignored.
   * @default undefined (no client certificates: every client that reaches the port is served)
   */
  readonly clientTrustStoreArn?: string;
}

export interface NativeLinkLoadBalancerProps {
  readonly name: string;
  readonly vpcId: string;
  readonly publicSubnetIds: string[];
  readonly securityGroupId: string;
  readonly certificateArn: string;
  /**
   * The HTTPS listeners. At most `verifyingListenersQuota` of them may have a `clientTrustStoreArn`.
   */
  readonly listeners: GrpcListener[];
  /**
   * How many listeners of one load balancer may verify client certificates (mutual TLS, verify mode): the Elastic Load
   * Balancing quota "listeners using mTLS in verify mode per load balancer" (Quotas for your Application Load
   * Balancers, section Trust stores), 2 by default. Raise it only if AWS raised the quota for your account: past
   * it, `terraform apply` fails when it creates the listener.
   * @default 2 (`MAX_VERIFYING_LISTENERS`)
   */
  readonly verifyingListenersQuota?: number;
  readonly accessLogBucket: string;
  readonly accessLogPrefix: string;
  /**
   * The listeners' TLS policy; one of `TLS13_SSL_POLICIES`.
   * @default "ELBSecurityPolicy-TLS13-1-2-2021-06"
   */
  readonly sslPolicy?: string;
  /**
   * Seconds a connection may stay idle. Bazel holds Execute streams open for a whole action, so the
   * original's 15 s would cut silent long actions; the maximum an ALB allows is 4000.
   * @default 600
   */
  readonly idleTimeoutSeconds?: number;
  /** Resources the load balancer waits for, such as the access-log bucket's policy. */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Listeners in mutual TLS verify mode an Application Load Balancer allows by default: the Elastic Load Balancing quota
 * "listeners using mTLS in verify mode per load balancer" (AWS, Quotas for your Application Load Balancers, Trust stores).
 */
export const MAX_VERIFYING_LISTENERS = 2;

/**
 * One internet-facing ALB for both endpoints, routed by host name: one load balancer's hourly charge and public
 * addresses instead of two, with the same isolation (separate target groups). One HTTPS listener per trust boundary
 * (the cluster's: readers on 443, the cache's writers on 8443), each verifying client certificates against its own
 * trust store when it has one.
 */
export class NativeLinkLoadBalancer extends Construct {
  readonly loadBalancer: Lb;
  /** Each listener, by its id. */
  readonly listeners: Record<string, LbListener> = {};
  /** Each route's target group, by the route's id. */
  readonly targetGroups: Record<string, LbTargetGroup> = {};

  constructor(scope: Construct, id: string, props: NativeLinkLoadBalancerProps) {
    super(scope, id);
    const sslPolicy = props.sslPolicy ?? "ELBSecurityPolicy-TLS13-1-2-2021-06";
    if (!(TLS13_SSL_POLICIES as readonly string[]).includes(sslPolicy)) {
      throw new NativeLinkPropError(this.node.path, "sslPolicy", `"${sslPolicy}" is not a TLS 1.3 policy`, `use one of ${TLS13_SSL_POLICIES.join(", ")}`);
    }
    const idleTimeout = props.idleTimeoutSeconds ?? 600;
    if (!Number.isInteger(idleTimeout) || idleTimeout < 1 || idleTimeout > 4000) {
      throw new NativeLinkPropError(this.node.path, "idleTimeoutSeconds", `${idleTimeout} is outside 1-4000`, "use a whole number of seconds up to 4000");
    }
    const quota = props.verifyingListenersQuota ?? MAX_VERIFYING_LISTENERS;
    if (!Number.isInteger(quota) || quota < 1) {
      throw new NativeLinkPropError(
        this.node.path,
        "verifyingListenersQuota",
        `${quota} is not a positive whole number`,
        "give your account's quota, or leave it out (2)",
      );
    }
    const verifying = props.listeners.filter((listener) => listener.clientTrustStoreArn !== undefined);
    if (verifying.length > quota) {
      throw new NativeLinkPropError(
        this.node.path,
        "listeners",
        `${verifying.length} listeners verify client certificates`,
        `the Elastic Load Balancing quota of listeners in mutual TLS verify mode per load balancer is ${quota}` +
          `${props.verifyingListenersQuota === undefined ? " by default" : ""}: ` +
          "use another load balancer for the others, or, if AWS raised the quota for your account, set verifyingListenersQuota",
      );
    }
    const ports = props.listeners.map((listener) => listener.port);
    if (new Set(ports).size !== ports.length) {
      throw new NativeLinkPropError(this.node.path, "listeners", `two listeners share a port (${ports.join(", ")})`, "give each listener its own port");
    }
    const tags = deploymentTags(props.name);

    this.loadBalancer = new Lb(this, "Alb", {
      name: physicalName(props.name, "alb"),
      loadBalancerType: "application",
      internal: false,
      subnets: props.publicSubnetIds,
      securityGroups: [props.securityGroupId],
      enableHttp2: true,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: "strictest",
      idleTimeout,
      enableDeletionProtection: false,
      accessLogs: { bucket: props.accessLogBucket, prefix: props.accessLogPrefix, enabled: true },
      tags,
      dependsOn: props.dependsOn,
    });

    for (const route of props.listeners.flatMap((listener) => listener.routes)) {
      this.targetGroups[route.id] = new LbTargetGroup(this, `${route.id}-targets`, {
        name: route.targetGroupName ?? targetGroupName(props.name, route.id),
        vpcId: props.vpcId,
        targetType: "instance",
        port: route.port,
        protocol: "HTTP",
        protocolVersion: "GRPC",
        loadBalancingAlgorithmType: "least_outstanding_requests",
        deregistrationDelay: "30",
        healthCheck: { enabled: true, protocol: "HTTP", ...GRPC_HEALTH_CHECK, interval: 10, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3 },
        tags,
      });
    }

    props.listeners.forEach((spec, index) => {
      // The first listener keeps the construct id it always had, so existing deployments keep their listener.
      const listener = new LbListener(this, index === 0 ? "Https" : `${spec.id}-https`, {
        loadBalancerArn: this.loadBalancer.arn,
        port: spec.port,
        protocol: "HTTPS",
        sslPolicy,
        certificateArn: props.certificateArn,
        mutualAuthentication: spec.clientTrustStoreArn
          ? { mode: "verify", trustStoreArn: spec.clientTrustStoreArn, ignoreClientCertificateExpiry: false }
          : undefined,
        defaultAction: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "unknown host" } }],
        tags,
      });
      this.listeners[spec.id] = listener;
      spec.routes.forEach(
        (route, routeIndex) =>
          new LbListenerRule(this, `${route.id}-rule`, {
            listenerArn: listener.arn,
            priority: 10 * (routeIndex + 1),
            condition: [{ hostHeader: { values: [route.hostName] } }],
            action: [{ type: "forward", targetGroupArn: this.targetGroups[route.id]!.arn }],
            tags,
          }),
      );
    });
  }
}

/** Target group names allow 32 characters: `<name>-<id>-grpc`, or `<name>-<id>` where a long deployment name leaves no room. */
export function targetGroupName(deploymentName: string, id: string): string {
  const name = physicalName(deploymentName, `${id}-grpc`);
  return name.length <= 32 ? name : physicalName(deploymentName, id);
}
