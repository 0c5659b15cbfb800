// Dependency ranges of a scaffolded app: the @nativelink-aws packages of this release train and the
// cdktf versions @nativelink-aws/constructs peers with (a test keeps both in step with the workspace).
export const SCAFFOLD_DEPENDENCIES = {
  "@nativelink-aws/deployment": "^0.1.0",
  "@cdktf/provider-aws": "^21.0.0",
  cdktf: "^0.21.0",
  constructs: "^10.4.2",
} as const;

export const SCAFFOLD_DEV_DEPENDENCIES = {
  "@nativelink-aws/cli": "^0.1.0",
  "@types/node": "^22.13.0",
  typescript: "^5.9.0",
} as const;
