// Vitest globalSetup: one moto server per test project, stopped when the run ends.
// Tests read the endpoint with `inject("motoEndpoint")` and pass it to motoEnvironment().
import type { TestProject } from "vitest/node";
import { startMoto } from "./moto-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const moto = await startMoto();
  project.provide("motoEndpoint", moto.endpoint);
  return () => moto.stop();
}
