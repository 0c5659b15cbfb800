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
}

export interface NativeLinkLoadBalancerProps {
  readonly name: string;
  readonly vpcId: string;
  readonly publicSubnetIds: string[];
  readonly securityGroupId: string;
  readonly certificateArn: string;
  readonly routes: GrpcRoute[];
  readonly accessLogBucket: string;
  readonly accessLogPrefix: string;
  /**
   * The listener's TLS policy; one of `TLS13_SSL_POLICIES`.
   * @default "ELBSecurityPolicy-TLS13-1-2-2021-06"
   */
  readonly sslPolicy?: string;
  /**
   * Seconds a connection may stay idle. Bazel holds Execute streams open for a whole action, so the
   * original's 15 s would cut silent long actions; the maximum an ALB allows is 4000.
   * @default 600
   */
  readonly idleTimeoutSeconds?: number;
  /**
   * ARN of a trust store: clients must present a certificate it verifies (mutual TLS).
   * @default undefined (no client certificates)
   */
  readonly clientTrustStoreArn?: string;
  /** Resources the load balancer waits for, such as the access-log bucket's policy. */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * One internet-facing ALB for both endpoints, routed by host name: one load balancer's hourly charge
 * and public addresses instead of two, with the same isolation (separate target groups).
 */
export class NativeLinkLoadBalancer extends Construct {
  readonly loadBalancer: Lb;
  readonly listener: LbListener;
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

    for (const route of props.routes) {
      this.targetGroups[route.id] = new LbTargetGroup(this, `${route.id}-targets`, {
        name: physicalName(props.name, `${route.id}-grpc`),
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

    this.listener = new LbListener(this, "Https", {
      loadBalancerArn: this.loadBalancer.arn,
      port: 443,
      protocol: "HTTPS",
      sslPolicy,
      certificateArn: props.certificateArn,
      mutualAuthentication: props.clientTrustStoreArn ? { mode: "verify", trustStoreArn: props.clientTrustStoreArn, ignoreClientCertificateExpiry: false } : undefined,
      defaultAction: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "unknown host" } }],
      tags,
    });
    props.routes.forEach((route, index) =>
      new LbListenerRule(this, `${route.id}-rule`, {
        listenerArn: this.listener.arn,
        priority: 10 * (index + 1),
        condition: [{ hostHeader: { values: [route.hostName] } }],
        action: [{ type: "forward", targetGroupArn: this.targetGroups[route.id]!.arn }],
        tags,
      }));
  }
}
