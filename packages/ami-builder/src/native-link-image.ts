import { TAG_KEYS } from "@nativelink-aws/conventions";
import { ImagebuilderComponent } from "@cdktf/provider-aws/lib/imagebuilder-component/index.js";
import { ImagebuilderImage } from "@cdktf/provider-aws/lib/imagebuilder-image/index.js";
import { ImagebuilderImageRecipe } from "@cdktf/provider-aws/lib/imagebuilder-image-recipe/index.js";
import { Construct } from "constructs";
import { perArchitecture, type Architecture, type PerArchitecture } from "./architectures.js";
import { ImageBuilderInfrastructure } from "./builder-infrastructure.js";
import { bootstrapComponent, nativelinkComponent, unitsComponent, type ComponentSpec } from "./components.js";
import { contentHash, contentVersion } from "./content-version.js";
import { actionsComponent } from "./action-components.js";
import { warmPoolComponent } from "./warm-pool-component.js";
import { awsCliComponent, drainWatcherComponent, drainWatcherUnitComponent } from "./drain-components.js";
import { cloudWatchComponent, otelcolComponent } from "./observability-components.js";
import type { NativeLinkImageProps } from "./props.js";
import { resolveBakeSettings, resolveExistingImages, type BakeSettings } from "./resolve-props.js";

/** Ubuntu's root device: the recipe sizes this volume rather than adding one. */
const ROOT_DEVICE_NAME = "/dev/sda1";

/**
 * The NativeLink AMIs, x86_64 and arm64, baked with EC2 Image Builder from Ubuntu LTS (no SSH, no
 * local-exec): NativeLink pinned and SHA-256 verified, the boot contract's bootstrap and units
 * (docs/DESIGN.md), the workers' drain watcher with the AWS CLI, the schedulers' metrics collector and the
 * CloudWatch agent. Component and recipe versions are hashes of their content, so an image is rebaked only
 * when an input changes.
 * Pass `existingAmiIds` to skip baking.
 */
export class NativeLinkImage extends Construct {
  /** Uses existing AMIs; creates no resource. Same as `new NativeLinkImage(scope, id, { existingAmiIds })`. */
  static fromAmiIds(scope: Construct, id: string, amiIds: PerArchitecture<string>, name?: string): NativeLinkImage {
    return new NativeLinkImage(scope, id, { existingAmiIds: amiIds, ...(name === undefined ? {} : { name }) });
  }

  /** Deployment name the images were made for. */
  readonly name: string;
  /** AMI id per architecture, for the cluster's launch templates (Terraform tokens when baked). */
  readonly amiIds: PerArchitecture<string>;
  /** Port of the schedulers' Prometheus metrics, for the autoscaler and the security groups. */
  readonly metricsPort: number;
  /** Log group the instances' CloudWatch agent writes to; undefined without CloudWatch logs, or when reusing AMIs without saying it. */
  readonly logGroupName: string | undefined;
  /** The bake's resources; undefined when reusing AMIs. */
  readonly bake: NativeLinkBake | undefined;

  constructor(scope: Construct, id: string, props: NativeLinkImageProps = {}) {
    super(scope, id);
    if (props.existingAmiIds) {
      const existing = resolveExistingImages(this.node.path, { ...props, existingAmiIds: props.existingAmiIds });
      this.name = existing.name;
      this.amiIds = existing.amiIds;
      this.metricsPort = existing.metricsPort;
      this.logGroupName = existing.logGroupName;
      this.bake = undefined;
      return;
    }
    const settings = resolveBakeSettings(this.node.path, props);
    this.name = settings.name;
    const bake = new NativeLinkBake(this, "Bake", settings);
    this.bake = bake;
    this.amiIds = perArchitecture((architecture) => bake.images[architecture].outputResources.get(0).amis.get(0).image);
    this.metricsPort = settings.metricsPort;
    this.logGroupName = settings.cloudWatchLogs ? settings.logGroupName : undefined;
  }
}

/** The Image Builder resources of a bake. */
export class NativeLinkBake extends Construct {
  readonly infrastructure: ImageBuilderInfrastructure;
  readonly components: readonly ImagebuilderComponent[];
  readonly recipes: PerArchitecture<ImagebuilderImageRecipe>;
  readonly images: PerArchitecture<ImagebuilderImage>;
  /** The content hash of each image's inputs, also an AMI tag (`nativelink:content-hash`). */
  readonly contentHashes: PerArchitecture<string>;

  private readonly componentsByName = new Map<string, { spec: ComponentSpec; version: string; resource: ImagebuilderComponent }>();

  constructor(
    scope: Construct,
    id: string,
    private readonly settings: BakeSettings,
  ) {
    super(scope, id);
    this.infrastructure = new ImageBuilderInfrastructure(this, "Infrastructure", {
      name: settings.name,
      vpcId: settings.vpcId,
      subnetId: settings.subnetId,
      instanceTypes: settings.builderInstanceTypes,
      keepBuilderOnFailure: settings.keepBuilderOnFailure,
      tags: settings.tags,
    });
    const recipes = perArchitecture((architecture) => this.recipe(architecture));
    this.recipes = perArchitecture((architecture) => recipes[architecture].resource);
    this.contentHashes = perArchitecture((architecture) => recipes[architecture].hash);
    this.components = [...this.componentsByName.values()].map((entry) => entry.resource);
    this.images = perArchitecture(
      (architecture) =>
        new ImagebuilderImage(this, `Image-${architecture}`, {
          imageRecipeArn: this.recipes[architecture].arn,
          infrastructureConfigurationArn: this.infrastructure.configurations[architecture].arn,
          imageTestsConfiguration: { imageTestsEnabled: settings.imageTestsEnabled, timeoutMinutes: 60 },
          enhancedImageMetadataEnabled: true,
          timeouts: { create: "2h" },
          tags: { ...settings.tags, Name: `${settings.name}-nativelink-${architecture}` },
          lifecycle: { createBeforeDestroy: true },
        }),
    );
  }

  /** The recipe's components, in the order they run. */
  private componentSpecs(architecture: Architecture): ComponentSpec[] {
    return [
      nativelinkComponent(this.settings, architecture),
      bootstrapComponent(this.settings),
      unitsComponent(this.settings),
      warmPoolComponent(this.settings),
      actionsComponent(this.settings),
      awsCliComponent(this.settings, architecture),
      drainWatcherComponent(this.settings),
      drainWatcherUnitComponent(this.settings),
      otelcolComponent(this.settings, architecture),
      ...(this.settings.cloudWatchLogs ? [cloudWatchComponent(this.settings, architecture)] : []),
    ];
  }

  /** One resource per distinct component; the bootstrap, units and drain components are shared by both recipes. */
  private component(spec: ComponentSpec) {
    const existing = this.componentsByName.get(spec.name);
    if (existing) return existing;
    // Every argument of a component replaces it: all of them take part in the version.
    const version = contentVersion(contentHash([spec.name, "Linux", spec.description, spec.document]));
    const resource = new ImagebuilderComponent(this, `Component-${spec.name}`, {
      name: spec.name,
      version,
      platform: "Linux",
      description: spec.description,
      data: spec.document,
      tags: this.settings.tags,
      lifecycle: { createBeforeDestroy: true },
    });
    const entry = { spec, version, resource };
    this.componentsByName.set(spec.name, entry);
    return entry;
  }

  private recipe(architecture: Architecture): { resource: ImagebuilderImageRecipe; hash: string } {
    const name = `${this.settings.name}-nativelink-${architecture}`;
    const specs = this.componentSpecs(architecture);
    const inputs = {
      name,
      description: `NativeLink ${this.settings.nativelinkVersion} on Ubuntu (${architecture}) for the ${this.settings.name} deployment`,
      parentImage: `ssm:${this.settings.baseImageSsmParameters[architecture]}`,
      component: specs.map((spec) => ({ componentArn: this.component(spec).resource.arn })),
      blockDeviceMapping: [
        {
          deviceName: ROOT_DEVICE_NAME,
          ebs: { volumeSize: this.settings.rootVolumeSizeGib, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
        },
      ],
    };
    // A recipe is immutable: every argument, and the bake revision, takes part in its version. Component
    // ARNs are tokens here, so their content versions stand in for them.
    const hash = contentHash([
      JSON.stringify({ ...inputs, component: undefined }),
      ...specs.map((spec) => `${spec.name}@${this.component(spec).version}`),
      this.settings.bakeRevision,
    ]);
    const resource = new ImagebuilderImageRecipe(this, `Recipe-${architecture}`, {
      ...inputs,
      version: contentVersion(hash),
      // Only values the hash covers, so that the AMI tags never change without a new version.
      amiTags: {
        Name: name,
        [TAG_KEYS.deployment]: this.settings.name,
        "nativelink:architecture": architecture,
        "nativelink:version": this.settings.nativelinkVersion,
        "nativelink:content-hash": hash,
      },
      tags: this.settings.tags,
      lifecycle: { createBeforeDestroy: true },
    });
    return { resource, hash };
  }
}
