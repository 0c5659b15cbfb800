/** The reference NativeLink deployment on AWS: a cdktf app mirroring the original Terraform topology. */
export const packageName = "@nativelink-aws/reference-deployment";
export { ReferenceDeployment, type ReferenceDeploymentProps } from "./reference-deployment.js";
export { referenceVariables, type ReferenceVariables } from "./variables.js";
