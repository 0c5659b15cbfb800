/**
 * The only module of this package that imports the cdktf core. Moving to CDK Terrain (`cdktn`) changes
 * this line and the provider import paths (docs/cdktn-migration.md).
 */
export { Annotations, Aspects, Fn, TerraformElement, TerraformIterator, TerraformOutput, TerraformStack, Token, type IAspect, type ITerraformDependable } from "cdktf";
