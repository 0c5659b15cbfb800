import type { CacheExpirationOptions } from "./cache-expiration.js";
import type { ClientAuthentication } from "./client-authentication.js";
import type { CasFleetOptions, SchedulerFleetOptions, WorkerFleetOptions } from "./fleet-options.js";
import type { Architecture } from "./instance-types.js";
import type { INativeLinkNetwork, NativeLinkNetworkProps } from "./network.js";

export interface NativeLinkClusterProps {
  /**
   * Deployment name: every physical name (buckets, groups, roles, load balancer) derives from it, so
   * two deployments with different names live side by side in one account and region.
   * @default "nativelink"
   */
  readonly name?: string;
  /** The existing public Route 53 hosted zone (the original's `base_domain`). Required. */
  readonly baseDomain: string;
  /** @default "cas" */
  readonly casDomainPrefix?: string;
  /** @default "scheduler" */
  readonly schedulerDomainPrefix?: string;
  /** AMI ids per architecture, with the NativeLink image contract (see docs/DESIGN.md). Required. */
  readonly images: Record<Architecture, string>;
  /**
   * Settings of the VPC this construct creates. Mutually exclusive with `existingNetwork`.
   * @default a new VPC: 10.0.0.0/16 over 2 zones, no NAT gateway, the default interface endpoints
   */
  readonly vpc?: Omit<NativeLinkNetworkProps, "name">;
  /**
   * Bring your own VPC and subnets instead of creating one.
   * @default undefined (a new VPC is created)
   */
  readonly existingNetwork?: INativeLinkNetwork;
  /** @default the CasFleetOptions defaults: arm64 spot, min 1, max 25 */
  readonly cas?: CasFleetOptions;
  /** @default the SchedulerFleetOptions defaults: one on-demand c6g.xlarge */
  readonly scheduler?: SchedulerFleetOptions;
  /**
   * Worker fleets per architecture; `false` leaves that fleet out.
   * @default both fleets with the WorkerFleetOptions defaults
   */
  readonly workers?: { readonly x86_64?: WorkerFleetOptions | false; readonly arm64?: WorkerFleetOptions | false };
  /**
   * The remote instance name Bazel passes as `--remote_instance_name`.
   * @default "main"
   */
  readonly instanceName?: string;
  /**
   * Key prefix of CAS objects in the bucket.
   * @default "cas/"
   */
  readonly casKeyPrefix?: string;
  /**
   * Key prefix of action-cache objects in the bucket.
   * @default "ac/"
   */
  readonly acKeyPrefix?: string;
  /**
   * CIDRs allowed to reach the load balancer's listeners (HTTPS 443, and `writersListenerPort`). With
   * `clientAuthentication` in verify mode they still need a client certificate; listing only private networks (RFC 1918,
   * IPv6 ULA) is the other way to keep unknown clients out (`NL-ELB-3`).
   * @default ["0.0.0.0/0", "::/0"]
   */
  readonly clientCidrs?: string[];
  /**
   * CIDRs allowed to SSH (port 22) to every instance. The instances have no public IPs, so this only
   * helps from inside the VPC or a peered network; SSM Session Manager needs no open port.
   * @default [] (no SSH)
   */
  readonly allowSshFrom?: string[];
  /**
   * EC2 key pair for the instances.
   * @default undefined (no key pair: use SSM Session Manager)
   */
  readonly keyName?: string;
  /**
   * Terraform `prevent_destroy` on the CAS and access-log buckets.
   * @default true
   */
  readonly preventBucketDestroy?: boolean;
  /**
   * How long cache objects live in S3 after their last upload (bucket lifecycle rules), with every
   * NativeLink S3 store reporting objects missing a day earlier (`consider_expired_after_s`); `false`
   * keeps everything forever, as the original did.
   * @default { actionCacheDays: 14, casDays: 30, reportMissingDaysBefore: 1 }
   */
  readonly cacheExpiration?: CacheExpirationOptions | false;
  /**
   * Days load balancer access logs are kept.
   * @default 90
   */
  readonly accessLogRetentionDays?: number;
  /**
   * CloudWatch log group of the instances' NativeLink logs; must equal the image's `logGroupName`
   * (@nativelink-aws/ami-builder), whose CloudWatch agent ships there.
   * @default "/<name>/nativelink"
   */
  readonly logGroupName?: string;
  /**
   * Retention of the instances' CloudWatch log group, in days.
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * TLS policy of the HTTPS listener (a TLS 1.3 policy).
   * @default "ELBSecurityPolicy-TLS13-1-2-2021-06"
   */
  readonly sslPolicy?: string;
  /**
   * Who may use the endpoints; required. `{ mode: "verify", readers, writers }` makes both listeners verify client
   * certificates (ALB mutual TLS) against trust stores built from your CAs, e.g.
   * `{ mode: "verify", readers: clientCa.readers, writers: clientCa.writers }` with `clientCa = readClientCaDirectory("client-ca")`
   * after `nativelink-aws certs publish --out client-ca`:
   * readers (443, `cas.` and `scheduler.`, a read-only action cache) trust the developers' and the CI CA, writers
   * (`writersListenerPort`, `cas.` with a writable action cache) the CI CA only. `{ mode: "off", reason }` opts out:
   * every client that reaches the listeners may then run actions on the workers (and, with `writersListener: true`,
   * write action results on the writers' port, which otherwise does not exist). An ALB allows two listeners in verify
   * mode by default (an Elastic Load Balancing quota): this cluster uses both.
   */
  readonly clientAuthentication: ClientAuthentication;
  /**
   * Port of the writers' HTTPS listener: `cas.` with a writable action cache (the CAS fleet's port 50071), for CI.
   * `clientCidrs` may reach it. With `clientAuthentication` off there is no writers' listener unless its
   * `writersListener` asks for one.
   * @default 8443
   */
  readonly writersListenerPort?: number;
  /**
   * Prefix of the Terraform output names, for stacks that hold more than one cluster (`nativelink-aws … --output-prefix`
   * reads them).
   * @default "" (outputs are `cas_endpoint`, `scheduler_endpoint`, …)
   */
  readonly outputPrefix?: string;
}
