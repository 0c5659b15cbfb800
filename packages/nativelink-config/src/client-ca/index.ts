export * from "./layout.js";
export * from "./manifest.js";
