import { DEFAULT_DEPLOYMENT_NAME, deploymentTags } from "@nativelink-aws/conventions";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { IMAGES_LOCK_FILE_NAME } from "@nativelink-aws/ami-builder";
import { DEFAULT_CLIENT_CA_DIR } from "@nativelink-aws/nativelink-config";
import { NativeLinkDeployment } from "@nativelink-aws/deployment";
import { LocalBackend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { referenceVariables } from "./variables.js";

/** The Terraform versions the synthesized stack asks for (the root README's install step names the same). */
export const MINIMUM_TERRAFORM_VERSION = ">= 1.5.0";

/** This app's folder: its images lock file, its client CA directory and its state live here. */
const APP_DIR = fileURLToPath(new URL("..", import.meta.url));

export interface ReferenceDeploymentProps {
  /**
   * Deployment name; every physical name derives from it.
   * @default "nativelink"
   */
  readonly name?: string;
  /**
   * The images lock file the images are baked from, relative to the working directory (or absolute). While it does not
   * exist, the images are pending: synthesis warns with the command that writes it, and `terraform plan` stops.
   * @default "images.lock.json" in this app's folder, written relative to the working directory
   */
  readonly imagesLockFile?: string;
  /**
   * The client CA directory `nativelink-aws certs publish` writes, relative to the working directory (or absolute): both
   * listeners verify client certificates against its CAs. While it does not exist, the client CAs are pending: synthesis
   * warns with the commands that write it, and `terraform plan` stops.
   * @default "client-ca" in this app's folder, written relative to the working directory
   */
  readonly clientCaDirectory?: string;
  /**
   * Terraform `prevent_destroy` on the CAS and access-log buckets. To destroy: set it to false and synthesize, empty
   * the buckets (`nativelink-aws purge`), then `terraform destroy` (no apply between: `prevent_destroy` is not state).
   * @default true
   */
  readonly preventBucketDestroy?: boolean;
}

/**
 * The topology of NativeLink's original AWS README: `grpcs://cas.DOMAIN` and `grpcs://scheduler.DOMAIN`
 * behind TLS, a CAS fleet over S3, one scheduler kept in DNS, x86_64 and arm64 NVMe workers, the images baked from
 * `images.lock.json`; only clients with a certificate of the CAs in `client-ca/` get in, and only CI's write the cache.
 * The stack holds the provider, the original's variables and a local backend in the app's folder;
 * `NativeLinkDeployment` composes the rest.
 */
export class ReferenceDeployment extends TerraformStack {
  readonly deployment: NativeLinkDeployment;

  constructor(scope: Construct, id: string, props: ReferenceDeploymentProps = {}) {
    super(scope, id);
    const name = props.name ?? DEFAULT_DEPLOYMENT_NAME;
    // Terraform runs in cdktf.out/stacks/<id>: the state stays in the app's folder, by a relative path (git-ignored).
    new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    // terraform_data and lifecycle preconditions (the pending-input guards) need Terraform 1.4; 1.5 is the oldest we name.
    this.addOverride("terraform.required_version", MINIMUM_TERRAFORM_VERSION);
    const vars = referenceVariables(this);
    new AwsProvider(this, "aws", { region: vars.providerRegion, defaultTags: [{ tags: { ...deploymentTags(name), "managed-by": "nativelink-aws" } }] });
    // The id "Default" is left out of logical ids by cdktf: resources keep the addresses they had before the
    // composition moved into NativeLinkDeployment, so no existing deployment is replaced.
    this.deployment = new NativeLinkDeployment(this, "Default", {
      name,
      baseDomain: vars.baseDomain,
      casDomainPrefix: vars.casDomainPrefix,
      schedulerDomainPrefix: vars.schedulerDomainPrefix,
      images: { lockFile: props.imagesLockFile ?? inAppFolder(IMAGES_LOCK_FILE_NAME) },
      clientCa: props.clientCaDirectory ?? inAppFolder(DEFAULT_CLIENT_CA_DIR),
      cluster: { scheduler: { instanceType: vars.schedulerInstanceType, architecture: "arm64" }, preventBucketDestroy: props.preventBucketDestroy },
    });
  }
}

/** A file of this app's folder, as a path relative to the working directory (where synthesis runs). */
function inAppFolder(name: string): string {
  return relative(process.cwd(), join(APP_DIR, name)) || name;
}
