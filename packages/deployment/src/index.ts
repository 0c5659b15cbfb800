/** NativeLinkDeployment: a whole NativeLink cluster on AWS in one construct, wired completely. */
export { NativeLinkDeployment } from "./native-link-deployment.js";
export { missingClientCaMessage } from "./client-ca.js";
export { missingLockMessage } from "./images.js";
export type { ExistingImages, ImageBakeOptions, ImagesFromLock, ImagesFromLockFile, NativeLinkDeploymentImages, NativeLinkDeploymentProps } from "./props.js";
export { NativeLinkPropError } from "@nativelink-aws/conventions";
