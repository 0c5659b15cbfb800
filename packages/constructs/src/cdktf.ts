/**
 * The only module of this package that imports the cdktf core. Moving to CDK Terrain (`cdktn`) changes
 * this line and the provider import paths (docs/cdktn-migration.md).
 */
export {
  Annotations,
  Aspects,
  DataResource,
  Fn,
  TerraformElement,
  TerraformIterator,
  TerraformLocal,
  TerraformOutput,
  TerraformStack,
  Token,
  type IAspect,
  type ITerraformDependable,
} from "cdktf";
