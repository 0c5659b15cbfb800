export * from "./assets.js";
export * from "./images-lock.js";
