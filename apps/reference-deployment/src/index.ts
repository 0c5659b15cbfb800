/** The reference NativeLink deployment on AWS: a cdktf app mirroring the original Terraform topology. */
export const packageName = "@nativelink-aws/reference-deployment";
export { ReferenceDeployment } from "./reference-deployment.js";
