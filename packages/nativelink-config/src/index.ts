/** Typed, validated NativeLink v1.6 configuration and role presets (CAS, scheduler, worker, local CAS proxy). */
export const packageName = "@nativelink-aws/nativelink-config";
