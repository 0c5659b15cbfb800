/** NativeLink AMIs (x86_64, arm64) with EC2 Image Builder, and the on-instance bootstrap. */

export { ARCHITECTURES, ARCHITECTURE_NAMES, type Architecture, type PerArchitecture } from "./architectures.js";
export { BUILDER_EGRESS, BUILDER_MANAGED_POLICIES, ImageBuilderInfrastructure, type ImageBuilderInfrastructureProps } from "./builder-infrastructure.js";
export { MAX_COMPONENT_DOCUMENT_LENGTH, nativelinkReleaseUrl, otelcolReleaseUrl, type ComponentSpec } from "./components.js";
export { contentHash, contentVersion } from "./content-version.js";
export { AWS_CLI_KEY_FINGERPRINT, awsCliUrl } from "./drain-components.js";
export { INSTALL_PATHS, imageDirectory, imageFile } from "./image-files.js";
export { readImagesLockFile } from "./images-lock-file.js";
export { ImagesLockError, IMAGES_LOCK_FILE_NAME, type ImagesLock } from "@nativelink-aws/nativelink-config";
export { NativeLinkBake, NativeLinkImage } from "./native-link-image.js";
export { CLOUDWATCH_AGENT_KEY_FINGERPRINT } from "./observability-components.js";
// The props and their defaults (DEFAULT_NATIVELINK_VERSION, DEFAULT_BASE_IMAGE_SSM_PARAMETERS, …).
export * from "./props.js";
export { NativeLinkPropError } from "@nativelink-aws/conventions";
